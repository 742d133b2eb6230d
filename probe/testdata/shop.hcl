# The probe's test API: one route for each outcome the fake gateway can give.
api "shop" {
  region = "us-east-1"

  authorizer "pool" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Probe"]
  }
  default_authorizer = authorizer.pool

  cors {
    allow_origins = ["https://app.example.com"]
  }

  route "GET /items" {
    scopes = ["shop/read"]
    integration {
      type = "MOCK"
    }
  }

  route "POST /items" {
    scopes = ["shop/write"]
    integration {
      type = "MOCK"
    }
  }

  route "GET /items/{id}" {
    examples = { id = "42" }
    integration {
      type = "MOCK"
    }
  }

  route "DELETE /items/{id}" {
    examples = { id = "42" }
    integration {
      type = "MOCK"
    }
  }

  route "GET /files/{path+}" {
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
