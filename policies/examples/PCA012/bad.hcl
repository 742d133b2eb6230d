# OPTION: PCA012.token_validity=5m
# The pool's app client issues 5-minute tokens; a 10-minute cache keeps
# honouring them for up to 5 minutes after they expire.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
    ttl_seconds    = 600 # EXPECT: PCA012
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
