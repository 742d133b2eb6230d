package main

deny contains msg if {
	env := opa.runtime().env
	msg := env.AWS_SECRET_ACCESS_KEY
}
