# HTTP API in us-east-1 whose JWT authorizers trust pools of eu-west-1.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "eu-west-1_Example" # EXPECT: PCA013
    audiences    = ["4example0client0id0spa0123"]
  }
  authorizer "staff" {
    issuer    = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff" # EXPECT: PCA013
    audiences = ["4example0client0id0staff01"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /staff/orders" {
    authorizer = authorizer.staff
    scopes     = ["shop/orders.admin"]
  }
}
