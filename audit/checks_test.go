package audit

import (
	"os"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/policies"
)

// docs/audit.md documents every check under the heading its HelpURI
// points at, with its name; IDs are unique and sorted; every code an
// audit can report has rule metadata.
func TestChecksDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/audit.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for i, c := range checks {
		if i > 0 && checks[i-1].ID >= c.ID {
			t.Errorf("registry not sorted at %s", c.ID)
		}
		section, ok := strings.CutPrefix(doc[strings.Index(doc, "\n### "+c.ID+"\n")+1:], "### "+c.ID+"\n")
		if !ok {
			t.Errorf("docs/audit.md has no heading ### %s", c.ID)
			continue
		}
		if !strings.Contains(section[:min(len(section), 200)], "`"+c.Name+"`, "+c.Severity.String()) {
			t.Errorf("docs/audit.md: %s does not start with `%s`, %s", c.ID, c.Name, c.Severity)
		}
		if HelpURI(c.ID) != DocsBase+"audit.md#"+strings.ToLower(c.ID) {
			t.Errorf("%s help %s", c.ID, HelpURI(c.ID))
		}
		if policies.Lookup(c.ID) != nil {
			t.Errorf("%s collides with a built-in rule", c.ID)
		}
	}
	if !strings.Contains(doc, "\n## Probe answers\n") {
		t.Error("docs/audit.md has no Probe answers section")
	}
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if r.HelpURI == "" || r.Summary == "" {
			t.Errorf("rule %s lacks help or summary", r.ID)
		}
	}
}
