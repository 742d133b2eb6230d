# HTTP API without a CORS configuration and a public ANY route: the browser's preflight
# for /orders reaches the backend, and the authorizer's 401 and 403 on GET /orders carry
# no CORS headers (an HTTP API cannot add them).
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  default_authorizer = authorizer.users

  route "ANY /orders" { # EXPECT: PCA005, PCA003
    public = true
    reason = "the backend answers preflights and checks its own session cookie"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders"
    }
  }

  route "GET /orders/{id}" {
    scopes = ["shop/orders.read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders/{id}"
    }
  }
}
