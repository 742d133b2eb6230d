api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Example"] # EXPECT: PCA013
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
