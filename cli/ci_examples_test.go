package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v4"
)

// TestCIExamplesUseRealFlags parses every portcullis command in the CI
// recipes with the real command tree, so the recipes cannot drift from
// the CLI.
func TestCIExamplesUseRealFlags(t *testing.T) {
	files := []string{"../examples/ci/github/portcullis.yml", "../examples/ci/gitlab/.gitlab-ci.yml"}
	seen := map[string]bool{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, line := range commandLines(&doc) {
			args := shellWords(line)[1:]
			root := NewRootCmd(&IOStreams{})
			args, err := normalizeArgs(root, args)
			if err != nil {
				t.Errorf("%s: %q: %v", f, line, err)
				continue
			}
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("%s: %q: no such command", f, line)
				continue
			}
			err = cmd.ParseFlags(rest)
			if err != nil {
				t.Errorf("%s: %q: %v", f, line, err)
			}
			seen[cmd.Name()] = true
		}
	}
	for _, want := range []string{"validate", "plan", "apply", "probe", "drift"} {
		if !seen[want] {
			t.Errorf("no recipe runs portcullis %s", want)
		}
	}
}

// TestCIPoliciesLeastPrivilege: the read-only role can only read, the
// apply role cannot delete the API.
func TestCIPoliciesLeastPrivilege(t *testing.T) {
	type statement struct {
		Effect   string
		Action   any
		Resource any
	}
	load := func(name string) []statement {
		b, err := os.ReadFile(filepath.Join("../examples/ci/iam", name))
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Statement []statement }
		if err := json.Unmarshal(b, &p); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return p.Statement
	}
	list := func(v any) []string {
		switch x := v.(type) {
		case string:
			return []string{x}
		case []any:
			var out []string
			for _, s := range x {
				out = append(out, s.(string))
			}
			return out
		}
		return nil
	}
	for _, s := range load("plan-drift-readonly.json") {
		for _, a := range list(s.Action) {
			if a != "apigateway:GET" {
				t.Errorf("read-only policy allows %s", a)
			}
		}
	}
	denied := false
	for _, s := range load("apply.json") {
		for _, r := range list(s.Resource) {
			if s.Effect == "Allow" && (strings.HasSuffix(r, "::/restapis/*") || r == "*") {
				t.Errorf("apply policy is not limited to the API: %s", r)
			}
		}
		if s.Effect == "Deny" && strings.Contains(strings.Join(list(s.Action), ","), "DELETE") {
			denied = true
		}
	}
	if !denied {
		t.Error("apply policy should deny deleting the API and its stages")
	}
}

// commandLines finds the shell lines that run portcullis (not its install).
func commandLines(n *yaml.Node) []string {
	var out []string
	if n.Kind == yaml.ScalarNode {
		text := strings.ReplaceAll(n.Value, "\\\n", " ")
		for _, line := range strings.Split(text, "\n") {
			line = strings.TrimSpace(line)
			if !strings.HasPrefix(line, "portcullis ") {
				continue
			}
			for _, op := range []string{" || ", " | ", " > ", " && ", " >> "} {
				if i := strings.Index(line, op); i >= 0 {
					line = line[:i]
				}
			}
			out = append(out, line)
		}
	}
	for _, c := range n.Content {
		out = append(out, commandLines(c)...)
	}
	return out
}

// shellWords splits a command line on spaces outside double quotes.
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	quoted, any := false, false
	for _, r := range s {
		switch {
		case r == '"':
			quoted, any = !quoted, true
		case r == ' ' && !quoted:
			if any {
				out = append(out, cur.String())
				cur.Reset()
				any = false
			}
		default:
			cur.WriteRune(r)
			any = true
		}
	}
	if any {
		out = append(out, cur.String())
	}
	return out
}
