# The custom token header is listed next to the others.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns  = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
    identity_source = "method.request.header.X-Id-Token"
    ignore          = ["PCA015"]
    ignore_reason   = "the edge proxy moves the token to X-Id-Token"
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["Content-Type", "X-Id-Token"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
