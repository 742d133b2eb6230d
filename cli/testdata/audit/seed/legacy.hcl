# An API nobody keeps a description of (it is not in the baseline). Its
# pool lives in another region.
api "legacy" {
  region = "us-east-1"

  authorizer "pool" {
    user_pool_arns = ["arn:aws:cognito-idp:eu-west-1:210987654321:userpool/eu-west-1_Legacy"]
  }

  route "GET /status" {
    public = true
    reason = "status page"
    integration {
      type = "MOCK"
    }
  }

  route "POST /upload" {
    public = true
    reason = "was open at deploy time"
    integration {
      type = "MOCK"
    }
  }

  route "GET /files" {
    authorizer = authorizer.pool
    integration {
      type = "MOCK"
    }
  }

  stage "v1" {}
}
