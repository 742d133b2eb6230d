# HTTP API: Cognito scopes are resource-server/scope-name or Cognito's own; another
# issuer's scopes (here partners:read) follow that provider's rules and are not judged.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"]
  }
  authorizer "partners" {
    issuer    = "https://login.partner.example.com/"
    audiences = ["https://api.shop.example.com"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read", "https://api.example.com/orders.read"]
  }

  route "GET /me" {
    scopes = ["aws.cognito.signin.user.admin"]
  }

  route "GET /partner/orders" {
    authorizer = authorizer.partners
    scopes     = ["partners:read"]
  }
}
