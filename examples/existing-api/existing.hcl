# Locking down an API that already exists (created by hand or by another
# stack): rest_api_id names it, so generators add authorizers and methods
# to it instead of creating a new API. No CORS: a server-to-server API.

api "orders" {
  region      = "us-west-2"
  rest_api_id = "a1b2c3d4e5"

  authorizer "partners" {
    user_pool_arns = ["arn:aws:cognito-idp:us-west-2:210987654321:userpool/us-west-2_Partners"]
  }

  route "GET /" {
    authorizer = authorizer.partners
    integration {
      type = "MOCK"
    }
  }

  route "GET /orders/{orderId}/items/{itemId}" {
    authorizer = authorizer.partners
    scopes     = ["orders/read", "orders/admin"]
    examples   = { orderId = "1", itemId = "2" }
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:210987654321:function:orders/invocations"
      http_method = "POST"
    }
  }

  route "PUT /orders/{orderId}" {
    authorizer = authorizer.partners
    scopes     = ["orders/write"]
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:210987654321:function:orders/invocations"
      http_method = "POST"
    }
  }

  stage "live" {}
}
