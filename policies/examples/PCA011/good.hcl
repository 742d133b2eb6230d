api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
    ttl_seconds    = 300
  }
  default_authorizer = authorizer.users

  route "GET /orders" { scopes = ["shop/orders.read"] }
  route "POST /orders" { scopes = ["shop/orders.write"] }
  route "GET /orders/{id}" { scopes = ["shop/orders.read"] }
  route "PUT /orders/{id}" { scopes = ["shop/orders.write"] }
  route "DELETE /orders/{id}" { scopes = ["shop/orders.write"] }
}
