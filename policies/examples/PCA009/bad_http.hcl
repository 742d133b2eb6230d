# HTTP API: a Cognito JWT authorizer's routes name scopes no Cognito access token carries.
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
    scopes = ["orders.read"] # EXPECT: PCA009
  }

  route "POST /orders" {
    scopes = ["shop/orders.write", "shop:orders.write"] # EXPECT: PCA009
  }
}
