# An HTTP API that exists already (api_id): the generators add authorizers,
# integrations, routes and a stage to it. Only HTTP_PROXY routes, so that the
# Serverless service has no function at all; a user pool and an issuer; an
# IAM route and a public one. No CORS: CORS is a property of the API itself,
# which a stack that adds to an existing API does not own.
http_api "legacy" {
  region = "us-east-1"
  api_id = "a1b2c3d4e5"

  authorizer "users" {
    user_pool_id = "us-east-1_Legacy1"
    audiences    = ["legacyclient"]
  }
  authorizer "partner-login" {
    issuer          = "https://login.partner.example.com/"
    audiences       = ["partner-app"]
    identity_source = "$request.header.X-Partner-Token"
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["orders/read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/orders"
    }
  }
  route "ANY /partner/{proxy+}" {
    authorizer = authorizer.partner-login
    scopes     = ["partner/api"]
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://partner.example.com/{proxy}"
      http_method = "GET"
    }
  }
  route "POST /admin/reindex" {
    auth_type = "AWS_IAM"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/reindex"
    }
  }
  route "GET /status" {
    public = true
    reason = "uptime checks"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/status"
    }
  }

  stage "live" {
    description = "deployed by the pipeline"
  }
}
