# The API the cognito-local test applies: its pool is seeded in cognito-local
# under this id and ARN, and the local gateway takes the pool's keys from it.
api "peer" {
  region = "us-east-1"

  authorizer "pool" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_ProbePeer"]
  }
  default_authorizer = authorizer.pool

  cors {
    allow_origins = ["https://app.example.com"]
  }

  # ID tokens.
  route "GET /profile" {
    integration {
      type = "MOCK"
    }
  }

  # cognito-local's access tokens carry only this scope.
  route "GET /account" {
    scopes = ["aws.cognito.signin.user.admin"]
    integration {
      type = "MOCK"
    }
  }

  # A custom scope cognito-local cannot issue: refusals are proven,
  # admission is not.
  route "GET /reports" {
    scopes = ["reports/read"]
    integration {
      type = "MOCK"
    }
  }

  route "GET /health" {
    public = true
    reason = "load balancer health check"
    integration {
      type = "MOCK"
    }
  }

  stage "prod" {}
}
