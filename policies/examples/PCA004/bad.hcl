# The OPTIONS route inherits the default authorizer, so preflights get 401.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "OPTIONS /orders" { # EXPECT: PCA004
    integration {
      type = "MOCK"
    }
  }
}
