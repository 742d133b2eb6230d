# HTTP API: an authorizer no route uses.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  authorizer "staff" { # EXPECT: PCA020
    user_pool_id = "us-east-1_Staff"
    audiences    = ["4example0client0id0staff01"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
