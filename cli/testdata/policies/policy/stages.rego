package main

warn contains msg if {
	some api in input.apis
	count(api.stages) == 0
	msg := sprintf("api %s declares no stage", [api.name])
}
