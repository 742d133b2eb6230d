http_api "v2" {
  region = "us-east-1"
  api_id = "NotAnId" # ERROR: invalid-api-id
  authorizer "pool" {
    user_pool_id = "us-east-1_Abc"
    audiences    = ["client1"]
  }
  authorizer "badpool" {
    user_pool_id = "useast1Abc" # ERROR: invalid-user-pool-id
    audiences    = ["client1"]
  }
  authorizer "both" {
    issuer       = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc"
    user_pool_id = "us-east-1_Xyz" # ERROR: conflicting-issuer
    audiences    = ["client1"]
  }
  authorizer "plain" { # ERROR: missing-issuer
    audiences = ["client1"]
  }
  authorizer "http" {
    issuer    = "http://login.example.com" # ERROR: invalid-issuer
    audiences = ["client1"]
  }
  authorizer "slash" {
    issuer    = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Abc/" # ERROR: invalid-issuer
    audiences = ["client1"]
  }
  authorizer "region" {
    issuer    = "https://cognito-idp.eu-west-1.amazonaws.com/us-east-1_Abc" # ERROR: invalid-issuer
    audiences = ["client1"]
  }
  authorizer "noaud" { # ERROR: missing-audience
    issuer = "https://login.example.com/"
  }
  authorizer "two" {
    issuer          = "https://login.example.com/"
    audiences       = ["a"]
    identity_source = ["$request.header.Authorization", "$request.querystring.token"] # ERROR: invalid-identity-source
  }
  authorizer "v1style" {
    user_pool_id    = "us-east-1_Abc"
    audiences       = ["a"]
    identity_source = "method.request.header.Authorization" # ERROR: invalid-identity-source
  }
  default_authorizer = authorizer.pool

  cors {
    allow_origins   = ["https://app.example.com"]
    allow_methods   = ["GET", "FETCH"] # ERROR: invalid-cors
    max_age_seconds = 100000 # ERROR: invalid-cors
  }

  route "$default" {
    scopes = ["api/read"]
  }
  route "$default GET /x" { # ERROR: invalid-route-key
  }
  route "FETCH /a" { # ERROR: invalid-route-key
  }
  route "get /lower" { # ERROR: invalid-route-key
  }
  route "GET /twice/{id}/x/{id}" { # ERROR: invalid-path
  }
  route "ANY /{proxy+}" {
    scopes = ["api/read"]
  }
  route "GET /{proxy+}/x" { # ERROR: invalid-path
  }
  route "GET /a" {
    authorizer = authorizer.pol # ERROR: unknown-authorizer
  }
  route "GET /b" {
    integration {
      type = "MOCK" # ERROR: invalid-integration
    }
  }
  route "GET /c" {
    integration { # ERROR: invalid-integration
      type                   = "HTTP_PROXY"
      payload_format_version = "2.0" # ERROR: invalid-integration
    }
  }
  route "GET /d" {
    integration {
      type = "AWS_PROXY"
      uri  = "https://example.com" # ERROR: invalid-integration
    }
  }
  route "GET /e" {
    auth_type = "COGNITO_USER_POOLS" # ERROR: invalid-auth-type
  }
  route "GET /a" { # ERROR: duplicate-route
  }
  stage "$default" {
    auto_deploy = true
  }
  stage "bad name" { # ERROR: invalid-stage-name
  }
}
