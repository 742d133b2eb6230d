# A clean API in a second region, described in the baseline by rest_api_id
# once it exists (the test writes that description).
api "payments" {
  region = "eu-west-1"

  authorizer "cognito" {
    user_pool_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pay"]
  }
  default_authorizer = authorizer.cognito

  route "POST /payments" {
    scopes = ["payments/write"]
    integration {
      type = "MOCK"
    }
  }

  stage "live" {}
}
