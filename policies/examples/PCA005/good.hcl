# The cors block adds DEFAULT_4XX and DEFAULT_5XX with the CORS headers; a
# custom UNAUTHORIZED response repeats the origin header.
api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Example"]
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
  }

  gateway_response "UNAUTHORIZED" {
    status_code = 401
    response_parameters = {
      "gatewayresponse.header.Access-Control-Allow-Origin" = "'https://shop.example.com'"
    }
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }
}
