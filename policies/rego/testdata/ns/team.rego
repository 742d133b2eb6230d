package portcullis.team

deny contains msg if {
	some api in input.apis
	some r in api.routes
	r.public
	msg := sprintf("%s: public routes need a security review.", [r.key])
}
