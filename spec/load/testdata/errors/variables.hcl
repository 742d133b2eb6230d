variable "pool" { # ERROR: variable-without-value
  type = string
}
variable "ttl" {
  type    = number
  default = "abc" # ERROR: invalid-variable-value
}
api "vars" {
  region = "us-east-1"
  authorizer "cognito" {
    user_pool_arns = [var.pool]
  }
  route "GET /a" {
    authorizer = authorizer.cognito
  }
}
