# HTTP API: the CORS configuration allows the header the token comes in.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization", "content-type"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
