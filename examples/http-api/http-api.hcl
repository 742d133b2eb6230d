# The todo single-page app of examples/todo, on an HTTP API (API Gateway
# v2): a browser app signs users in with Cognito and calls these routes with
# the user's access token in the Authorization header. The JWT authorizer
# admits a token whose iss is the pool's and whose aud (ID tokens) or
# client_id (access tokens) is the app client; the scopes on each route are
# what keep ID tokens out.

variable "user_pool_id" {
  type        = string
  description = "The Cognito user pool whose users may call the API."
  default     = "us-east-1_Example"
}

variable "app_client_id" {
  type        = string
  description = "The user pool app client the single-page app signs in with."
  default     = "4example0client0id0spa0123"
}

variable "items_function" {
  type        = string
  description = "ARN of the Lambda function that serves the items."
  default     = "arn:aws:lambda:us-east-1:123456789012:function:todo-items"
}

http_api "todo-http" {
  region      = "us-east-1"
  description = "Todo items for the single-page app (HTTP API)"

  authorizer "cognito" {
    user_pool_id    = var.user_pool_id
    audiences       = [var.app_client_id]
    identity_source = "$request.header.Authorization"
  }
  default_authorizer = authorizer.cognito

  # API Gateway answers preflights itself, before any authorizer.
  cors {
    allow_origins   = ["https://app.example.com"]
    allow_methods   = ["GET", "POST", "DELETE"]
    allow_headers   = ["authorization", "content-type"]
    max_age_seconds = 600
  }

  route "GET /items" {
    scopes = ["todo/read"]
    integration {
      type = "AWS_PROXY"
      uri  = var.items_function
    }
  }

  route "POST /items" {
    scopes = ["todo/write"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/items"
    }
  }

  route "GET /items/{id}" {
    scopes   = ["todo/read"]
    examples = { id = "42" }
    integration {
      type                   = "AWS_PROXY"
      uri                    = var.items_function
      payload_format_version = "2.0"
    }
  }

  route "DELETE /items/{id}" {
    scopes   = ["todo/write"]
    examples = { id = "42" }
    integration {
      type = "AWS_PROXY"
      uri  = var.items_function
    }
  }

  route "GET /health" {
    public = true
    reason = "load balancer health check"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/health"
    }
  }

  stage "$default" {
    auto_deploy = true
    description = "Production"
    variables   = { backend = "prod" }
  }
}
