# HTTP API: a route that names no authorizer (there is no default) and is not declared public.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    authorizer = authorizer.users
    scopes     = ["shop/orders.read"]
  }

  route "GET /reports" { # EXPECT: PCA001
  }
}
