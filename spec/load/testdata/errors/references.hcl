api "refs" {
  region             = "us-east-1"
  default_authorizer = authorizer.nope # ERROR: unknown-authorizer

  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
  }
  authorizer "cognito" { # ERROR: duplicate-authorizer
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
  }

  route "GET /a" {
    authorizer = authorizer.cognitoo # ERROR: unknown-authorizer
  }
  route "GET /a" { # ERROR: duplicate-route
    public = true
    reason = "twice"
  }
  stage "prod" {}
  stage "prod" {} # ERROR: duplicate-stage
  stage "has space" {} # ERROR: invalid-stage-name
}
