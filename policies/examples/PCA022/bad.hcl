# GET /orders expects access tokens, but GET /profile accepts the same client's ID tokens.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"] # EXPECT: PCA022
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
  route "GET /profile" { # EXPECT: PCA021
  }
}
