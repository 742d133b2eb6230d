api "shop" {
  region = "us-east-1"

  authorizer "customers" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.customers

  authorizer "partners" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Partners"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /partner/orders" {
    authorizer = authorizer.partners
    scopes     = ["shop/partner.read"]
  }
}
