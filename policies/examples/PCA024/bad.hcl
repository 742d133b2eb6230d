# Credentials from every origin: browsers refuse it, or every site is trusted.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins     = ["*"]
    allow_headers     = ["authorization"]
    allow_credentials = true # EXPECT: PCA024
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
