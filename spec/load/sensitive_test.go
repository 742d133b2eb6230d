package load_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// TestSensitiveValuesNeverPrinted drives every diagnostic path that can
// format a variable's value (a --var that does not parse, a --var-file
// value of the wrong type, a default of the wrong type, a function error,
// a validation error quoting an attribute, a policy finding) with values
// declared sensitive, and looks for them in every field of every
// diagnostic.
func TestSensitiveValuesNeverPrinted(t *testing.T) {
	const secretARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/SECRET_pool_zz9"
	dir := t.TempDir()
	desc := `
variable "ttl" {
  type      = number
  sensitive = true
}
variable "pool" {
  type      = string
  sensitive = true
}
variable "n" {
  type      = number
  sensitive = true
  default   = "s3cr3t-default"
}
variable "list" {
  type      = list(number)
  sensitive = true
}
variable "word" {
  type      = string
  sensitive = true
  default   = "s3cr3t-format"
}
api "a" {
  region      = "us-east-1"
  description = format("%d", var.word)
  authorizer "c" {
    user_pool_arns = [var.pool]
  }
  route "GET /x" {
    authorizer = authorizer.c
  }
}
`
	mustWrite := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	path := mustWrite("api.hcl", desc)
	varFile := mustWrite("secret.tfvars", `list = ["s3cr3t-in-list"]`+"\n")
	secrets := []string{"hunter2secret", "SECRET_pool_zz9", "s3cr3t-default", "s3cr3t-in-list", "s3cr3t-format"}
	check := func(what string, ds fmt.Stringer) {
		t.Helper()
		out := ds.String()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("%s: sensitive value %q printed:\n%s", what, s, out)
			}
		}
	}
	_, ds := load.Load(path, load.Options{Assignments: []load.Assignment{
		{Name: "ttl", Value: "hunter2secret"}, {Name: "pool", Value: secretARN}, {File: varFile}}})
	if !ds.HasErrors() {
		t.Fatal("want errors")
	}
	check("load", stringer(fmt.Sprintf("%+v", ds)))

	// Valid types now: the validation and policy paths.
	desc2 := strings.Replace(strings.Replace(desc, `default   = "s3cr3t-default"`, `default   = 1`, 1), `format("%d", var.word)`, `"d"`, 1)
	path = mustWrite("api.hcl", desc2)
	varFile = mustWrite("secret.tfvars", `list = [1]`+"\n")
	d, ds := load.Load(path, load.Options{Assignments: []load.Assignment{
		{Name: "ttl", Value: "300"}, {Name: "pool", Value: secretARN + " not an ARN"}, {File: varFile}}})
	check("validate", stringer(fmt.Sprintf("%+v", ds)))
	if !strings.Contains(fmt.Sprintf("%+v", ds), "(sensitive value)") {
		t.Errorf("the validation error about the pool does not say a sensitive value was hidden: %+v", ds)
	}
	d2, _ := load.Load(path, load.Options{SkipValidation: true, Assignments: []load.Assignment{
		{Name: "ttl", Value: "300"}, {Name: "pool", Value: secretARN}, {File: varFile}}})
	check("policies", stringer(fmt.Sprintf("%+v", policies.Run(d2, policies.Config{}))))
	_ = d
}

type stringer string

func (s stringer) String() string { return string(s) }
