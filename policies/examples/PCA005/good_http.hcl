# HTTP API: a CORS configuration, so API Gateway answers the preflights and adds the CORS
# headers; no OPTIONS route is needed.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders"
    }
  }
}
