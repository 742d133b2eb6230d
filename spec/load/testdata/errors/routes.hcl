api "routes" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
  }
  route "FETCH /a" { # ERROR: invalid-route-key
    authorizer = authorizer.cognito
  }
  route "GET a" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /a/" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /a//b" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /{proxy+}/x" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /items/{id}" {
    authorizer = authorizer.cognito
  }
  route "DELETE /items/{itemId}" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /b$" { # ERROR: invalid-path
    authorizer = authorizer.cognito
  }
  route "GET /public" {
    public = true
  }
  route "GET /both" {
    public     = true
    reason     = "x"
    authorizer = authorizer.cognito # ERROR: public-with-authorizer
  }
  route "GET /iam" {
    auth_type = "AWS_IAM"
    scopes    = ["a/b"]
  }
  route "GET /open" {
    scopes = ["a/b"]
  }
  route "GET /badauth" {
    auth_type = "OAUTH" # ERROR: invalid-auth-type
  }
  route "POST /int" {
    authorizer = authorizer.cognito
    integration { # ERROR: invalid-integration
      type = "HTTP_PROXY"
    }
  }
  route "PUT /int" {
    authorizer = authorizer.cognito
    integration { # ERROR: invalid-integration
      type = "LAMBDA"
    }
  }
}
