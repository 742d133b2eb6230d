api "authz" {
  region = "us-east-1"
  authorizer "bad_arn" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:user/us-east-1_Abc"] # ERROR: invalid-pool-arn
  }
  authorizer "region_mismatch" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/eu-west-1_Abc"] # ERROR: invalid-pool-arn
  }
  authorizer "china" {
    user_pool_arns = ["arn:aws-cn:cognito-idp:cn-north-1:123456789012:userpool/cn-north-1_Abc"]
  }
  authorizer "govcloud" {
    user_pool_arns = ["arn:aws-us-gov:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_Abc"]
  }
  authorizer "ttl" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    ttl_seconds    = -1 # ERROR: ttl-out-of-range
  }
  authorizer "ttl_high" {
    user_pool_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    ttl_seconds    = 3601 # ERROR: ttl-out-of-range
  }
  authorizer "source" {
    user_pool_arns  = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    identity_source = "method.request.querystring.token" # ERROR: invalid-identity-source
  }
  authorizer "regex" {
    user_pool_arns        = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Abc"]
    validation_expression = "([a-z" # ERROR: invalid-validation-expression
  }
  authorizer "empty" {
    user_pool_arns = [] # ERROR: missing-user-pool
  }
}
