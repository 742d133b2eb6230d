package main

warn_version contains msg if {
	not startswith(input.format_version, "1.")
	msg := "unexpected document version"
}

# An API-wide finding: no route in the message.
warn contains msg if {
	some api in input.apis
	count(api.stages) == 0
	msg := sprintf("api %s declares no stage", [api.name])
}
