# The $default route is public: every path nobody described is open.
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

  route "$default" { # EXPECT: PCA025
    public = true
    reason = "serve the site"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/{proxy}"
    }
  }
  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
