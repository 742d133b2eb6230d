# IAM methods never look at scopes.
api "shop" {
  region = "us-east-1"

  route "GET /reports" {
    auth_type = "AWS_IAM"
    scopes    = ["shop/reports.read"] # EXPECT: PCA008
  }
}
