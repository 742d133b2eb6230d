# Scoped methods need access tokens, which have no aud claim to match.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns        = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
    validation_expression = "^1example23456789$" # EXPECT: PCA006
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
