# HTTP API shapes the example does not have: an issuer named directly (not a
# pool), two authorizers, $default, ANY on a greedy path, an IAM route, a
# stage without auto-deploy, CORS with credentials.
http_api "shapes" {
  region = "eu-west-1"

  authorizer "partners" {
    issuer          = "https://login.partner.example.com/"
    audiences       = ["https://api.example.com", "partner-app"]
    identity_source = "$request.header.X-Partner-Token"
  }
  authorizer "users" {
    user_pool_id = "eu-west-1_Users"
    audiences    = ["webclient", "mobileclient"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins     = ["https://app.example.com", "https://admin.example.com"]
    allow_methods     = ["*"]
    allow_headers     = ["authorization", "x-partner-token"]
    expose_headers    = ["x-request-id"]
    allow_credentials = true
    max_age_seconds   = 300
  }

  route "$default" {
    scopes = ["app/read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://site.example.com/{proxy}"
    }
  }
  route "ANY /partner/{proxy+}" {
    authorizer = authorizer.partners
    scopes     = ["partner/api"]
    integration {
      type                   = "AWS_PROXY"
      uri                    = "arn:aws:lambda:eu-west-1:123456789012:function:partner"
      payload_format_version = "1.0"
      timeout_millis         = 10000
    }
  }
  route "POST /admin/reports" {
    auth_type = "AWS_IAM"
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:eu-west-1:123456789012:function:reports"
    }
  }
  route "GET /me" {
    scopes = ["app/read", "app/profile"]
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:eu-west-1:123456789012:function:me"
    }
  }

  stage "live" {
    description = "deployed by hand"
    variables   = { tier = "live" }
  }
}
