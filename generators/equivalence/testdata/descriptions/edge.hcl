# Everything a generator can get wrong about auth, in one API: several pools
# behind one authorizer, a custom identity header, caching off, an audience
# check, IAM and public routes, the root path, a greedy proxy, an explicit
# OPTIONS route, CORS with credentials and several origins, written gateway
# responses, an existing API id, and strings that need escaping.

api "edge \"quoted\" api" {
  region      = "eu-west-1"
  rest_api_id = "a1b2c3d4e5"
  description = "Quotes \" backslashes \\ and */ comment ends; template $${notavar}"

  authorizer "partners" {
    user_pool_arns = [
      "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Zeta",
      "arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_Alpha",
    ]
    identity_source       = "method.request.header.X-Partner-Token"
    validation_expression = "^(client-a|client-b)$"
    ttl_seconds           = 0
  }

  authorizer "staff" {
    user_pool_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Staff"]
    ttl_seconds    = 3600
  }
  default_authorizer = authorizer.staff

  cors {
    allow_origins     = ["https://a.example.com", "https://b.example.com"]
    allow_headers     = ["Content-Type", "X-Partner-Token", "Authorization"]
    allow_credentials = true
    max_age_seconds   = 600
  }

  gateway_response "UNAUTHORIZED" {
    status_code = 401
    response_parameters = {
      "gatewayresponse.header.WWW-Authenticate" = "'Bearer realm=\"edge\"'"
    }
    response_templates = {
      "application/json" = "{\"message\":$context.error.messageString}"
    }
  }

  route "GET /" {
    public = true
    reason = "landing page"
  }

  route "ANY /{proxy+}" {
    scopes = ["edge/admin", "edge/read"]
  }

  route "GET /partners/{partnerId}/orders" {
    authorizer = authorizer.partners
  }

  route "POST /partners/{partnerId}/orders" {
    authorizer = authorizer.partners
    scopes     = ["partners/write"]
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://partners.example.com/orders"
      http_method = "PUT"
    }
  }

  route "GET /reports" {
    auth_type = "AWS_IAM"
  }

  route "OPTIONS /reports" {
    public = true
    reason = "hand-written preflight"
    integration {
      type = "MOCK"
    }
  }

  route "DELETE /staff/items/{id}" {
    scopes = ["staff/delete"]
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:staff_items:live/invocations"
      http_method = "POST"
    }
  }

  stage "live" {
    description = "Live traffic"
    variables   = { tier = "gold" }
  }
}
