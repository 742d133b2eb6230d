http_api "v2" {
  rest_api_id = "abc" # ERROR: unsupported-argument
  authorizer "pool" {
    user_pool_arns = ["x"] # ERROR: unsupported-argument
    audiences      = "client1" # ERROR: invalid-type
  }
  route "$connect" { # ERROR: invalid-route-key
  }
  route "GET /x" {
    integration {
      type        = "AWS_PROXY"
      uri         = "arn:aws:lambda:us-east-1:123456789012:function:f"
      passthrough_behavior = "WHEN_NO_MATCH" # ERROR: unsupported-argument
    }
  }
  gateway_response "DEFAULT_4XX" { # ERROR: unsupported-argument
  }
  stage "$default" {
    auto_deploy = "yes please" # ERROR: invalid-type
  }
}
api "v2" { # ERROR: duplicate-api
  region = "us-east-1"
}
