api "decode" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    ttl_seconds    = "five minutes" # ERROR: invalid-type
  }
  route "GET /b" {
    authorizer = var.something # ERROR: invalid-reference
  }
  route "GET" { # ERROR: invalid-route-key
  }
  route "GET /c" {
    authorizer = authorizer.cognito
    bogus      = 1 # ERROR: unsupported-argument
  }
  route "GET /d" {
    scopes = "todo/read" # ERROR: invalid-type
  }
  unknown_block {} # ERROR: unsupported-argument
}
