# HTTP API: the pool is in the API's region; another provider's issuer has no region.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  authorizer "partners" {
    issuer    = "https://login.partner.example.com"
    audiences = ["shop-partner-app"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /partner/orders" {
    authorizer = authorizer.partners
    scopes     = ["orders.read"]
  }
}
