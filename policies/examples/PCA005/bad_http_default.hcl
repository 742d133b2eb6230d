# HTTP API without a CORS configuration and an open $default route: every preflight that
# no other route matches reaches the backend, and the authorizer's 401 and 403 on
# GET /orders carry no CORS headers.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  route "$default" { # EXPECT: PCA005, PCA025
    public = true
    reason = "serve the site; the backend answers preflights"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/{proxy}"
    }
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders"
    }
  }
}
