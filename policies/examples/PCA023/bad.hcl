# No cors block: preflights to the authorized catch-all get 401.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users


  route "ANY /{proxy+}" { # EXPECT: PCA023
    scopes = ["shop/orders.read"]
  }
}
