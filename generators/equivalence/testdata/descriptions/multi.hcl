# Two APIs in one description: each target writes both, and the
# equivalence check must keep them apart.

api "alpha" {
  region = "us-west-2"

  authorizer "pools" {
    user_pool_arns = [
      "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_One",
      "arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_Two",
    ]
  }

  route "GET /things" {
    authorizer = authorizer.pools
    scopes     = ["things/read"]
  }

  route "PUT /things/{thingId}" {
    authorizer = authorizer.pools
  }
}

api "beta" {
  region = "us-west-2"

  route "GET /status" {
    public = true
    reason = "status page"
  }

  route "POST /jobs" {
    auth_type = "AWS_IAM"
  }

  stage "v1" {}
}
