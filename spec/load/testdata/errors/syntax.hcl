api "syntax" {
  region = "us-east-1"
  route "GET /a" {
    public = = true # ERROR: parse-error
    reason = "x"
  }
}
