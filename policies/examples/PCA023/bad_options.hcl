# No cors block: an OPTIONS route that inherits the default authorizer and an authorized
# $default route both receive browser preflights, which carry no token, and answer 401.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  route "OPTIONS /orders" { # EXPECT: PCA023
    scopes = ["shop/orders.read"]
  }

  route "$default" { # EXPECT: PCA023
    scopes = ["shop/orders.read"]
  }
}
