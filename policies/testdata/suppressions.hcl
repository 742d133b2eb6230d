api "shop" {
  region        = "us-east-1"
  ignore        = ["PCA014"]
  ignore_reason = "public API for third-party browser apps"

  authorizer "users" {
    user_pool_arns        = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example", "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Other"]
    validation_expression = "^(client1|client2)$"
    identity_source       = "method.request.header.X-Token"
    ignore                = ["custom-identity-header", "PCA0O1"]
    ignore_reason         = "proxy forwards the token in X-Token"
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["*"]
  }

  route "GET /orders" {}

  route "POST /hooks" {
    public = true
    reason = "webhook"
    ignore = ["public-write-route"]
  }
}
