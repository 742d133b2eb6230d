# HTTP API without a CORS configuration whose backend answers the preflights: the
# authorizer's 401 and 403 carry no CORS headers, and an HTTP API cannot add them.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  route "OPTIONS /orders" { # EXPECT: PCA005
    public = true
    reason = "CORS preflight, answered by the backend"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders"
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
