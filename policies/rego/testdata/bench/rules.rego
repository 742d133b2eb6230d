package main

# Writes need access tokens.
deny contains {"msg": sprintf("%s changes data but accepts ID tokens", [r.key]), "route": r.key} if {
	some api in input.apis
	some r in api.routes
	r.method in {"POST", "PUT", "PATCH", "DELETE"}
	r.auth_type == "COGNITO_USER_POOLS"
	count(r.scopes) == 0
}

# Every scope belongs to the team's resource server.
warn contains msg if {
	some api in input.apis
	some r in api.routes
	some s in r.scopes
	not startswith(s, "big/")
	msg := sprintf("%s: scope %s is not from the big resource server", [r.key, s])
}

# Public routes need a reason of some length.
deny contains msg if {
	some api in input.apis
	some r in api.routes
	r.public
	count(r.reason) < 10
	msg := sprintf("%s: public reason too short", [r.key])
}
