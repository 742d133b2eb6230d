api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "POST /webhooks/payments" { # EXPECT: PCA003
    public = true
    reason = "called by the payment provider"
    ignore = ["PCA003"] # EXPECT: PCA017
  }
}
