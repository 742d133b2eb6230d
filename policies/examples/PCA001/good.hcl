# Every route inherits the default authorizer unless it is declared public,
# with its reason.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "DELETE /orders/{id}" {
    scopes = ["shop/orders.write"]
  }

  route "GET /health" {
    public = true
    reason = "load balancer health check"
  }
}
