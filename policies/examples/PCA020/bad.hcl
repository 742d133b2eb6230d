# The partner routes were meant to use the partners authorizer but inherit
# the default one.
api "shop" {
  region = "us-east-1"

  authorizer "customers" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.customers

  authorizer "partners" { # EXPECT: PCA020
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Partners"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /partner/orders" {
    scopes = ["shop/partner.read"]
  }
}
