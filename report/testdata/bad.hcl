api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Shop"]
    ttl_seconds    = 7200
  }

  route "GET /orders" {
    authorizer = authorizer.user
  }

  route "GET /status" {
    public = true
  }

  gateway_response "DEFAULT_4XX" {
    status_code = 999
  }
}
