# The browser test's APIs. POOL_ARN, POOL_ID and CLIENT_ID are replaced by
# the test with the cognito-local pool's and app client's.

api "todo" {
  region = "us-east-1"

  authorizer "cognito" {
    user_pool_arns = ["POOL_ARN"]
    ttl_seconds    = 0
  }
  default_authorizer = authorizer.cognito

  cors {
    allow_origins = ["https://app.example.com"]
  }

  # No scopes: the ID token. The MOCK answers the list with the caller's
  # name from the token's claims.
  route "GET /items" {
    integration {
      type              = "MOCK"
      request_templates = { "application/json" = "{\"statusCode\": 200}" }
      response "default" {
        status_code         = 200
        response_parameters = { "method.response.header.Access-Control-Allow-Origin" = "'https://app.example.com'" }
        response_templates = {
          "application/json" = "{\"user\": \"$context.authorizer.claims['cognito:username']\", \"items\": [{\"id\": 1, \"title\": \"Sign in with Amplify\"}, {\"id\": 2, \"title\": \"Send the token each route wants\"}]}"
        }
      }
    }
  }

  # Scoped: the access token. cognito-local issues this scope only.
  route "DELETE /items/{id}" {
    scopes = ["aws.cognito.signin.user.admin"]
    integration {
      type              = "MOCK"
      request_templates = { "application/json" = "{\"statusCode\": 200}" }
      response "default" {
        status_code         = 200
        response_parameters = { "method.response.header.Access-Control-Allow-Origin" = "'https://app.example.com'" }
      }
    }
  }

  route "GET /health" {
    public = true
    reason = "load balancer health check"
    integration {
      type              = "MOCK"
      request_templates = { "application/json" = "{\"statusCode\": 200}" }
      response "default" {
        status_code         = 200
        response_parameters = { "method.response.header.Access-Control-Allow-Origin" = "'https://app.example.com'" }
      }
    }
  }

  stage "prod" {}
}

# The same API whose 4XX gateway responses carry no CORS headers: a browser
# cannot read its 401s. PCA005 says so; it is suppressed here on purpose.
api "todo-nocors" {
  region = "us-east-1"
  ignore        = ["PCA005"]
  ignore_reason = "the browser test proves what PCA005 warns about"

  authorizer "cognito" {
    user_pool_arns = ["POOL_ARN"]
    ttl_seconds    = 0
  }
  default_authorizer = authorizer.cognito

  cors {
    allow_origins     = ["https://app.example.com"]
    gateway_responses = false
  }

  route "GET /items" {
    integration {
      type              = "MOCK"
      request_templates = { "application/json" = "{\"statusCode\": 200}" }
      response "default" {
        status_code         = 200
        response_parameters = { "method.response.header.Access-Control-Allow-Origin" = "'https://app.example.com'" }
      }
    }
  }

  stage "prod" {}
}

# The same on an HTTP API: a JWT authorizer over the pool, which admits the
# access token on the unscoped route and refuses the ID token on the scoped
# one with 403; the gateway adds the CORS headers to every answer.
http_api "todo-http" {
  region = "us-east-1"

  authorizer "cognito" {
    user_pool_id = "POOL_ID"
    audiences    = ["CLIENT_ID"]
  }
  default_authorizer = authorizer.cognito

  cors {
    allow_origins  = ["https://app.example.com"]
    allow_methods  = ["GET", "DELETE"]
    allow_headers  = ["authorization"]
    expose_headers = ["www-authenticate"]
  }

  route "GET /items" {
    ignore        = ["PCA021"]
    ignore_reason = "the browser test shows the access token admitted without scopes"
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-east-1:123456789012:function:todo-items"
    }
  }

  route "DELETE /items/{id}" {
    scopes = ["aws.cognito.signin.user.admin"]
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-east-1:123456789012:function:todo-items"
    }
  }

  stage "$default" {
    auto_deploy = true
  }
}
