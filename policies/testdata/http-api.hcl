http_api "v2" {
  region = "us-east-1"
  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["client1"]
  }
  authorizer "spare" {
    issuer    = "https://login.example.com"
    audiences = ["api"]
  }
  route "GET /open" {
  }
  route "GET /public" {
    public = true
  }
  route "GET /mine" {
    authorizer    = authorizer.users
    ignore        = ["PCA021"]
    ignore_reason = "ID tokens accepted on purpose"
  }
  route "POST /open-write" {
    public = true
    reason = "sign-up"
  }
  route "ANY /files/{proxy+}" {
    public = true
    reason = "static files"
    scopes = ["files/read"]
  }
  route "GET /stale" {
    authorizer    = authorizer.users
    scopes        = ["api/read"]
    ignore        = ["jwt-route-without-scopes"]
    ignore_reason = "left over"
  }
  cors {
    allow_origins = ["https://app.example.com"]
    allow_headers = ["content-type"]
  }
}
