# A greedy proxy in front of an existing backend: every path and verb under
# /app goes to one Lambda through ANY /app/{proxy+}, behind the authorizer
# with a header other than Authorization, while /app itself lists the
# user's resources.

api "gateway" {
  region = "us-west-2"

  authorizer "pool" {
    user_pool_arns  = ["arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_Gateway"]
    identity_source = "method.request.header.X-Id-Token"
    ignore          = ["PCA015"]
    ignore_reason   = "the mobile clients send the token in X-Id-Token; Authorization carries the device's API key"
  }
  default_authorizer = authorizer.pool

  route "GET /app" {
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:app/invocations"
      http_method = "POST"
    }
  }

  route "ANY /app/{proxy+}" {
    examples = { proxy = "documents/2024" }
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:123456789012:function:app/invocations"
      http_method = "POST"
    }
  }

  stage "dev" {
    variables = { log_level = "debug" }
  }
}
