# HTTP APIs whose routes all proxy to HTTP backends, so that the Serverless
# services have no function at all.
#
# "legacy" exists already (api_id): the generators add authorizers,
# integrations, routes and a stage to it. A user pool and an issuer; an IAM
# route and a public one. No CORS: CORS is a property of the API itself,
# which a stack that adds to an existing API does not own.
http_api "legacy" {
  region = "us-east-1"
  api_id = "a1b2c3d4e5"

  authorizer "users" {
    user_pool_id = "us-east-1_Legacy1"
    audiences    = ["legacyclient"]
  }
  authorizer "partner-login" {
    issuer          = "https://login.partner.example.com/"
    audiences       = ["partner-app"]
    identity_source = "$request.header.X-Partner-Token"
  }
  default_authorizer = authorizer.users

  route "GET /orders" {
    scopes = ["orders/read"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/orders"
    }
  }
  route "ANY /partner/{proxy+}" {
    authorizer = authorizer.partner-login
    scopes     = ["partner/api"]
    integration {
      type        = "HTTP_PROXY"
      uri         = "https://partner.example.com/{proxy}"
      http_method = "GET"
    }
  }
  route "POST /admin/reindex" {
    auth_type = "AWS_IAM"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/reindex"
    }
  }
  route "GET /status" {
    public = true
    reason = "uptime checks"
    integration {
      type = "HTTP_PROXY"
      uri  = "https://orders.example.com/status"
    }
  }

  stage "live" {
    description = "deployed by the pipeline"
  }
}

# "storefront" is new, with CORS: without a function Serverless compiles no
# HTTP API, so the service writes the API, its stage and authorizer itself.
http_api "storefront" {
  region = "us-east-1"

  authorizer "shoppers" {
    user_pool_id = "us-east-1_Shop1"
    audiences    = ["shopclient"]
  }
  default_authorizer = authorizer.shoppers

  cors {
    allow_origins = ["https://shop.example.com"]
    allow_headers = ["authorization"]
    allow_methods = ["GET", "POST"]
  }

  route "GET /cart" {
    scopes = ["shop/cart"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://cart.example.com/cart"
    }
  }
  route "$default" {
    scopes = ["shop/browse"]
    integration {
      type = "HTTP_PROXY"
      uri  = "https://pages.example.com/{proxy}"
    }
  }
}
