# The classic single-page-app API: a browser app signs users in with Cognito
# and calls these routes with the user's JWT in the Authorization header.

variable "user_pool_arn" {
  type        = string
  description = "The Cognito user pool whose users may call the API."
  default     = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"
}

variable "items_function" {
  type        = string
  description = "Lambda integration URI of the function that serves the items."
  default     = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:todo-items/invocations"
}

api "todo" {
  region      = "us-east-1"
  description = "Todo items for the single-page app"

  authorizer "cognito" {
    user_pool_arns  = [var.user_pool_arn]
    identity_source = "method.request.header.Authorization"
    ttl_seconds     = 300
  }
  default_authorizer = authorizer.cognito

  cors {
    allow_origins = ["https://app.example.com"]
  }

  route "GET /items" {
    scopes = ["todo/read"]
    integration {
      type        = "AWS_PROXY"
      uri         = var.items_function
      http_method = "POST"
    }
  }

  route "POST /items" {
    scopes = ["todo/write"]
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://backend.example.com/items"
      http_method = "POST"
    }
  }

  route "GET /items/{id}" {
    scopes   = ["todo/read"]
    examples = { id = "42" }
    integration {
      type        = "AWS_PROXY"
      uri         = var.items_function
      http_method = "POST"
    }
  }

  route "DELETE /items/{id}" {
    scopes = ["todo/write"]
    integration {
      type        = "AWS_PROXY"
      uri         = var.items_function
      http_method = "POST"
    }
  }

  route "GET /health" {
    public = true
    reason = "load balancer health check"
    integration {
      type = "MOCK"
    }
  }

  stage "prod" {
    description = "Production"
    variables   = { backend = "prod" }
  }
}
