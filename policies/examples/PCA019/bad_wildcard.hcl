# "*" allows every header except Authorization, which must be listed.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["*"] # EXPECT: PCA019
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
