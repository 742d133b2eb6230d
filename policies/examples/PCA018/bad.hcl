# GET is not a write method, so PCA003 never fires here: the suppression is
# stale and would hide a future finding if the method changed.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /catalogue" {
    public        = true
    reason        = "product catalogue shown before sign-in"
    ignore        = ["PCA003"] # EXPECT: PCA018
    ignore_reason = "was a POST once"
  }
}
