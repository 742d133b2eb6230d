# Two pools, one audience expression: the second pool's app client never matches.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = [
      "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example",
      "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Partners",
    ]
    validation_expression = "^1example23456789$" # EXPECT: PCA007
  }
  default_authorizer = authorizer.users

  route "GET /orders" {}
}
