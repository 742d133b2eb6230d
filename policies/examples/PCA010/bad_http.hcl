# HTTP API: one authorizer guards routes with and without scopes. For the OpenID Connect
# provider that is PCA010; for the Cognito pool the same mix is PCA022's finding instead.
http_api "shop" {
  region = "us-east-1"

  authorizer "partners" { # EXPECT: PCA010
    issuer    = "https://login.partner.example.com"
    audiences = ["shop-partner-app"]
  }
  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["4example0client0id0spa0123"] # EXPECT: PCA022
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /partner/orders" {
    authorizer = authorizer.partners
    scopes     = ["orders.read"]
  }

  route "GET /partner/profile" {
    authorizer = authorizer.partners # EXPECT: PCA021
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /profile" { # EXPECT: PCA021
  }
}
