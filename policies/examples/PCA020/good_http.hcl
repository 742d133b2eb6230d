# HTTP API: every authorizer guards a route.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  authorizer "staff" {
    user_pool_id = "us-east-1_Staff"
    audiences    = ["4example0client0id0staff01"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /staff/orders" {
    authorizer = authorizer.staff
    scopes     = ["shop/orders.admin"]
  }
}
