# An API shared by two kinds of users: customers from one pool, staff from
# two pools (one per region) whose ID tokens must come from the admin app.
# It exercises what the generators must get right beyond the basics: several
# authorizers, a validation expression, a custom identity header, caching
# off, a greedy proxy with no declared integration, ANY, AWS_IAM, an
# explicit OPTIONS route, CORS with several origins and credentials, and a
# customised gateway response.

api "shop" {
  region      = "eu-west-1"
  description = "Shop API for customers and staff"

  authorizer "customers" {
    user_pool_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Customers"]
    ttl_seconds    = 600
    ignore         = ["PCA010"]
    ignore_reason  = "the shop app holds both tokens: ID tokens for the profile, access tokens for the cart"
  }

  authorizer "staff" {
    user_pool_arns = [
      "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_StaffEu",
      "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_StaffUs",
    ]
    identity_source       = "method.request.header.X-Staff-Token"
    validation_expression = "^(3abc4defadminapp|5ghi6jklreporting)$"
    ttl_seconds           = 0
    # TTL 0: staff permissions are revoked immediately. The second pool is
    # the US staff's own, and the admin apps send their token in
    # X-Staff-Token, so these findings are known and accepted.
    ignore        = ["PCA013", "PCA015"]
    ignore_reason = "the US staff pool lives in us-east-1 by design, and the admin apps send X-Staff-Token"
  }
  default_authorizer = authorizer.customers

  cors {
    allow_origins     = ["https://shop.example.com", "https://admin.example.com"]
    allow_methods     = ["GET", "POST", "DELETE"]
    allow_headers     = ["Content-Type", "Authorization", "X-Staff-Token"]
    expose_headers    = ["X-Request-Id"]
    allow_credentials = true
    max_age_seconds   = 600
  }

  route "ANY /{proxy+}" {
    operation_name = "catchAll"
  }

  route "GET /cart" {
    scopes = ["shop/cart.read"]
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://cart.internal.example.com/cart"
      http_method = "GET"
      request_parameters = {
        "integration.request.header.X-User" = "context.authorizer.claims.sub"
      }
      timeout_millis = 5000
    }
  }

  route "GET /admin/orders/{orderId}" {
    authorizer = authorizer.staff
    examples   = { orderId = "o-1001" }
    integration {
      type        = "HTTP"
      uri         = "https://orders.internal.example.com/orders/{orderId}"
      http_method = "GET"
      request_parameters = {
        "integration.request.path.orderId" = "method.request.path.orderId"
      }
      passthrough_behavior = "WHEN_NO_TEMPLATES"
      response "default" {
        status_code = "200"
        response_parameters = {
          "method.response.header.Access-Control-Allow-Origin" = "'https://admin.example.com'"
        }
      }
      response "4\\d{2}" {
        status_code = "404"
        response_templates = { "application/json" = "{\"message\": \"not found\"}" }
      }
    }
  }

  route "OPTIONS /admin/orders/{orderId}" {
    public = true
    reason = "hand-written preflight that also answers for the reporting tool"
    integration {
      type = "MOCK"
    }
  }

  route "GET /reports/daily" {
    auth_type = "AWS_IAM"
    ignore        = ["require-cognito"]
    ignore_reason = "called by a scheduled job with IAM credentials"
  }

  route "GET /status" {
    public = true
    reason = "status page polled by the uptime monitor"
    integration {
      type = "MOCK"
    }
  }

  gateway_response "UNAUTHORIZED" {
    status_code = 401
    response_parameters = {
      "gatewayresponse.header.Access-Control-Allow-Origin" = "'https://shop.example.com'"
      "gatewayresponse.header.WWW-Authenticate"            = "'Bearer'"
    }
    response_templates = {
      "application/json" = "{\"message\": $context.error.messageString}"
    }
  }

  stage "dev" {
    description = "Development"
    variables   = { backend = "dev", logLevel = "debug" }
  }

  stage "prod" {
    description = "Production"
    variables   = { backend = "prod" }
  }
}
