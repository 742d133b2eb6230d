# Writes stay behind the authorizer; a webhook that must be public says why
# the rule does not apply to it.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  route "POST /orders" {
    scopes = ["shop/orders.write"]
  }

  route "POST /webhooks/payments" {
    public        = true
    reason        = "called by the payment provider"
    ignore        = ["PCA003"]
    ignore_reason = "the backend verifies the provider's HMAC signature"
  }
}
