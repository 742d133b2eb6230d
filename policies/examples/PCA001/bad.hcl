# A route added without an authorizer: the API has no default authorizer,
# so DELETE ends up with authorization NONE, open to anyone.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }

  route "GET /orders" {
    authorizer = authorizer.users
    scopes     = ["shop/orders.read"]
  }

  route "DELETE /orders/{id}" { # EXPECT: PCA001
    integration {
      type = "MOCK"
    }
  }
}
