# gateway_responses = false drops the DEFAULT_4XX/5XX responses that carry
# the CORS headers, so a refused token reaches the browser as a CORS error.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins     = ["https://shop.example.com"]
    gateway_responses = false # EXPECT: PCA005
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
