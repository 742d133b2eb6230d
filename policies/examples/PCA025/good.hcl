# The catch-all route inherits the authorizer; the health check is public on its own.
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

  route "$default" {
    scopes = ["shop/orders.read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/{proxy}"
    }
  }
  route "GET /health" {
    public = true
    reason = "load balancer health check"
  }
}
