# Locking down an HTTP API (API Gateway v2) that already exists, as
# examples/existing-api does for a REST API:
# api_id names it, so generators add the authorizer, integrations and routes
# to it. Its stages are its own: the ones described here are stages it has.
# On the auto-deploying $default the routes are live as soon as they exist;
# "prod" serves a deployment, so the outputs point it at a new one. Its CORS
# configuration is a property of the API, which only `portcullis apply` (or
# `aws apigatewayv2 update-api`) sets: `generate` says so.

http_api "orders-http" {
  region = "us-west-2"
  api_id = "h1t2p3a4p5"

  authorizer "partners" {
    user_pool_id = "us-west-2_Partners"
    audiences    = ["5partner0client0id0000000a"]
  }
  default_authorizer = authorizer.partners

  cors {
    allow_origins = ["https://partners.example.com"]
    allow_headers = ["authorization"]
  }

  route "GET /orders/{orderId}" {
    scopes   = ["orders/read"]
    examples = { orderId = "1" }
    integration {
      type = "AWS_PROXY"
      uri  = "arn:aws:lambda:us-west-2:210987654321:function:orders"
    }
  }

  route "POST /orders" {
    scopes = ["orders/write"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://backend.example.com/orders"
    }
  }

  stage "$default" {
    auto_deploy = true
  }

  stage "prod" {
    description = "Partners' production stage, deployed by hand"
  }
}
