# One authorizer per pool, each with its own audience.
api "shop" {
  region = "us-east-1"

  authorizer "customers" {
    user_pool_arns        = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
    validation_expression = "^1example23456789$"
  }

  authorizer "partners" {
    user_pool_arns        = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Partners"]
    validation_expression = "^2partner3456789$"
  }

  route "GET /orders" {
    authorizer = authorizer.customers
  }

  route "GET /partner/orders" {
    authorizer = authorizer.partners
  }
}
