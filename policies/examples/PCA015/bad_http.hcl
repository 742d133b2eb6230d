# HTTP API: one JWT authorizer reads a custom header, another the query string.
http_api "shop" {
  region = "us-east-1"

  authorizer "users" {
    user_pool_id    = "us-east-1_Example"
    audiences       = ["4example0client0id0spa0123"]
    identity_source = "$request.header.X-Token" # EXPECT: PCA015
  }
  authorizer "links" {
    user_pool_id    = "us-east-1_Example"
    audiences       = ["4example0client0id0spa0123"]
    identity_source = "$request.querystring.token" # EXPECT: PCA015
  }
  default_authorizer = authorizer.users

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["x-token"]
  }

  route "GET /orders" {
    scopes = ["shop/orders.read"]
  }

  route "GET /downloads/{id}" {
    authorizer = authorizer.links
    scopes     = ["shop/orders.read"]
  }
}
