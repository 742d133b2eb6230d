# HTTP API: a public route that does not say why.
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
  }

  route "GET /health" {
    public = true # EXPECT: PCA002
  }
}
