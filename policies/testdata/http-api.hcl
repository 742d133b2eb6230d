http_api "v2" {
  region = "us-east-1"
  authorizer "users" {
    user_pool_id = "us-east-1_Example"
    audiences    = ["client1"]
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
  route "GET /stale" {
    authorizer    = authorizer.users
    scopes        = ["api/read"]
    ignore        = ["jwt-route-without-scopes"]
    ignore_reason = "left over"
  }
}
