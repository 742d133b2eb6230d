package main

deny contains msg if {
	some r in input.apis[_].routes
	msg := undefined_function(r.key)
}
