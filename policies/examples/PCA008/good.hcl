api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }

  route "GET /reports" {
    authorizer = authorizer.users
    scopes     = ["shop/reports.read"]
  }

  route "POST /reports" {
    auth_type = "AWS_IAM"
  }
}
