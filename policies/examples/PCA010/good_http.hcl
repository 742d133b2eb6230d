# HTTP API: every route of the authorizer names the scopes it needs, so one kind of token
# (an access token granted them) serves the whole API.
http_api "shop" {
  region = "us-east-1"

  authorizer "partners" {
    issuer    = "https://login.partner.example.com"
    audiences = ["shop-partner-app"]
  }
  default_authorizer = authorizer.partners

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /partner/orders" {
    scopes = ["orders.read"]
  }

  route "GET /partner/profile" {
    scopes = ["profile"]
  }
}
