# A hand-written UNAUTHORIZED response replaces the CORS-enabled default
# for 401s and forgets the header.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
  }

  gateway_response "UNAUTHORIZED" { # EXPECT: PCA005
    status_code        = 401
    response_templates = { "application/json" = "{\"message\":\"sign in again\"}" }
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
