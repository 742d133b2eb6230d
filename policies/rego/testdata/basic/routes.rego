package main

# Methods that change data must require an access token (scopes).
deny contains msg if {
	some api in input.apis
	some r in api.routes
	r.method in {"POST", "PUT", "PATCH", "DELETE"}
	not r.public
	count(r.scopes) == 0
	msg := sprintf("%s changes data but accepts ID tokens: give it scopes.", [r.key])
}

# Object results name the route explicitly and may carry an id.
warn contains {"msg": "health check should be HEAD too", "route": "GET /health", "id": "ops-health-head"} if {
	some api in input.apis
	some r in api.routes
	r.key == "GET /health"
}

violation_legacy contains {"msg": "legacy route still described", "route": r.key, "id": "ops-no-legacy"} if {
	some api in input.apis
	some r in api.routes
	startswith(r.path, "/legacy")
}
