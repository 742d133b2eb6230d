# Every kind of finding SARIF has to carry: an error, a warning, an info, a
# suppressed finding with its reason, and one from a user policy.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns  = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    identity_source = "method.request.header.X-Token"
  }

  cors {
    allow_origins = ["*"]
  }

  route "GET /orders" {
    authorizer = authorizer.users
    scopes     = ["shop/orders.read"]
  }

  route "DELETE /orders/{id}" {}

  route "POST /webhooks" {
    public        = true
    reason        = "payment provider"
    ignore        = ["PCA003"]
    ignore_reason = "HMAC-signed webhook"
  }
}
