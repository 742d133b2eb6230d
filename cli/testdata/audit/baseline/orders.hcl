# The intent the audit judges the "orders" API by: only GET /health is
# public on purpose.
api "orders" {
  region = "us-east-1"

  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Orders"]
  }
  default_authorizer = authorizer.cognito

  route "GET /orders" {
    scopes = ["orders/read"]
    integration {
      type = "MOCK"
    }
  }

  route "DELETE /orders/{id}" {
    scopes = ["orders/write"]
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
