# An API called with ID tokens only: no route has scopes, so API Gateway
# accepts ID tokens, and validation_expression pins them to the one app
# client (it is matched against the ID token's aud claim). Access tokens have
# no aud, so they are refused everywhere here, which is intended.

api "profile" {
  region = "eu-west-1"

  authorizer "web_client" {
    user_pool_arns        = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Profiles"]
    validation_expression = "^4s7ga1bc0example0client0id$"
    ttl_seconds           = 600
  }
  default_authorizer = authorizer.web_client

  cors {
    allow_origins     = ["https://profile.example.com"]
    allow_credentials = true
    max_age_seconds   = 600
  }

  route "GET /me" {
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://profile-backend.example.com/me"
      http_method = "GET"
    }
  }

  route "PUT /me" {
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://profile-backend.example.com/me"
      http_method = "PUT"
    }
  }

  stage "live" {}
}
