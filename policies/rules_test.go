package policies

import (
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

var (
	idRe   = regexp.MustCompile(`^` + IDPrefix + `\d{3}$`)
	nameRe = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
)

func TestRegistry(t *testing.T) {
	ids := map[string]bool{}
	names := map[string]bool{}
	for i, r := range Rules() {
		if !idRe.MatchString(r.ID) {
			t.Errorf("rule %q: ID must look like %s001", r.ID, IDPrefix)
		}
		if ids[r.ID] {
			t.Errorf("rule %s: duplicate ID", r.ID)
		}
		ids[r.ID] = true
		if i > 0 && Rules()[i-1].ID >= r.ID {
			t.Errorf("registry not sorted: %s after %s", r.ID, Rules()[i-1].ID)
		}
		if !nameRe.MatchString(r.Name) || names[r.Name] {
			t.Errorf("rule %s: name %q must be unique kebab-case", r.ID, r.Name)
		}
		names[r.Name] = true
		for field, v := range map[string]string{"Summary": r.Summary, "Explanation": r.Explanation, "Impact": r.Impact, "Resolution": r.Resolution} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("rule %s: empty %s", r.ID, field)
			}
		}
		if strings.HasSuffix(r.Summary, ".") || strings.Contains(r.Summary, "\n") {
			t.Errorf("rule %s: summary must be one line without a final period", r.ID)
		}
		if r.checks() && len(r.Links) == 0 {
			t.Errorf("rule %s: no links", r.ID)
		}
		for _, l := range r.Links {
			if u, err := url.Parse(l); err != nil || u.Scheme != "https" || u.Host == "" {
				t.Errorf("rule %s: link %q is not an https URL", r.ID, l)
			}
		}
		for _, o := range r.Options {
			if _, err := o.parse(o.Default); err != nil {
				t.Errorf("rule %s option %s: default: %v", r.ID, o.Name, err)
			}
		}
		if Lookup(r.ID) != r || Lookup(strings.ToLower(r.ID)) != r || Lookup(r.Name) != r {
			t.Errorf("rule %s: Lookup does not find it by ID and name", r.ID)
		}
	}
}

// Every rule documents itself with at least one good and one bad example
// in each input language, and every example folder belongs to a rule.
func TestExamplesExist(t *testing.T) {
	for _, r := range Rules() {
		have := map[string]bool{}
		for _, e := range r.Examples() {
			have[fmt.Sprintf("%s/%v", e.Language, e.Good)] = true
		}
		for _, want := range exampleKinds {
			if !have[want] {
				t.Errorf("rule %s: no %s example", r.ID, want)
			}
		}
	}
	entries, err := fs.ReadDir(examples, "examples")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if Lookup(e.Name()) == nil {
			t.Errorf("examples/%s belongs to no registered rule", e.Name())
		}
	}
}

// A rule that judges HTTP APIs shows it: good and bad HTTP API examples in
// both languages, as the REST examples. A rule that judges REST APIs only
// says why in its HTTPAPIs note, so `rules show` answers the question.
func TestHTTPAPICoverage(t *testing.T) {
	for _, r := range Rules() {
		if r.check != nil && r.checkHTTP == nil && !strings.HasPrefix(r.HTTPAPIs, "REST APIs only") {
			t.Errorf("rule %s judges REST APIs only but its HTTPAPIs note does not start with \"REST APIs only\" and say why", r.ID)
		}
		if r.checkHTTP == nil {
			continue
		}
		have := map[string]bool{}
		for _, e := range r.Examples() {
			d, _ := load.Load(e.Path, load.Options{SkipValidation: true})
			if d != nil && len(d.HTTPAPIs) > 0 {
				have[fmt.Sprintf("%s/%v", e.Language, e.Good)] = true
			}
		}
		for _, want := range exampleKinds {
			if !have[want] {
				t.Errorf("rule %s judges HTTP APIs but has no %s HTTP API example", r.ID, want)
			}
		}
	}
}

// exampleKinds are language/good pairs every rule must have.
var exampleKinds = []string{"hcl/true", "hcl/false", "openapi/true", "openapi/false"}

// Good examples are clean (structurally and for every rule); bad examples
// produce exactly the findings their EXPECT markers name, on those lines.
func TestExamples(t *testing.T) {
	for _, r := range Rules() {
		for _, e := range r.Examples() {
			t.Run(e.Path, func(t *testing.T) {
				got, ds := runExample(t, e)
				if e.Good {
					for _, d := range ds {
						if !d.Suppressed {
							t.Errorf("good example has a finding: %s [%s]", d.Error(), d.Code)
						}
					}
					return
				}
				want := expectations(e)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("findings differ from the EXPECT markers (-want +got):\n%s", diff)
				}
				if !strings.Contains(strings.Join(got, " "), ":"+r.ID) {
					t.Errorf("bad example does not trigger %s", r.ID)
				}
			})
		}
	}
}

// runExample loads an example from disk and runs the policies, returning
// "line:ID" for every policy finding and all diagnostics. Bad examples skip
// structural validation: some rules restate a structural check (so that it
// can be suppressed and documented), and the example must show the rule.
func runExample(t *testing.T, e Example) ([]string, spec.Diagnostics) {
	t.Helper()
	d, diags := load.Load(e.Path, load.Options{SkipValidation: !e.Good})
	if diags.HasErrors() || (e.Good && len(diags) > 0) {
		t.Fatalf("example does not load cleanly:\n%v", diags)
	}
	var cfg Config
	for _, o := range e.RuleOptions() {
		if err := cfg.ParseRuleOption(o); err != nil {
			t.Fatal(err)
		}
	}
	ds := Run(d, cfg)
	var got []string
	for _, x := range ds {
		if x.Range == nil || x.Range.Filename != e.Path {
			t.Errorf("finding %s is not located in the example: %+v", x.Code, x.Range)
			continue
		}
		got = append(got, fmt.Sprintf("%d:%s", x.Range.Start.Line, x.Code))
	}
	sort.Strings(got)
	return got, ds
}

func expectations(e Example) []string {
	var want []string
	for line, ids := range e.Expectations() {
		for _, id := range ids {
			want = append(want, fmt.Sprintf("%d:%s", line, id))
		}
	}
	sort.Strings(want)
	return want
}

func TestParseRuleOption(t *testing.T) {
	var c Config
	if err := c.ParseRuleOption("pca012.token_validity=15m"); err != nil {
		t.Fatal(err)
	}
	if c.Options["PCA012.token_validity"] != "15m" {
		t.Errorf("options = %v", c.Options)
	}
	for in, want := range map[string]string{
		"PCA012":                      "wants ID.name=value",
		"PCA999.x=1":                  "no rule PCA999",
		"PCA001.x=1":                  "has no options",
		"PCA011.busy=1":               `no option "busy" (it has busy_routes)`,
		"PCA011.busy_routes=many":     "not a whole number",
		"PCA012.token_validity=1hour": "not a duration",
	} {
		err := c.ParseRuleOption(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRuleOption(%q) = %v, want %q", in, err, want)
		}
	}
}

// Suppressions match by rule ID or name, on routes, authorizers and the
// whole API; reasonless and mistyped ones are findings of their own.
func TestSuppressions(t *testing.T) {
	d, diags := load.Load("testdata/suppressions.hcl", load.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	for _, x := range Run(d, Config{}) {
		s := fmt.Sprintf("%d:%s", x.Range.Start.Line, x.Code)
		if x.Suppressed {
			s += " suppressed: " + x.SuppressReason
		}
		got = append(got, s)
	}
	want := []string{
		"9:PCA015 suppressed: proxy forwards the token in X-Token",
		"10:PCA018", // PCA0O1 is no rule
		"15:PCA019", // CORS does not allow X-Token
		"16:PCA014 suppressed: public API for third-party browser apps", // API-wide
		"21:PCA003 suppressed: ", // by name, without a reason...
		"24:PCA017",              // ...which is reported
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAlternatives(t *testing.T) {
	for expr, want := range map[string]int{"^abc$": 1, "^(a|b)$": 2, `^a\|b$`: 1, "a|b|c": 3, "": 1} {
		if got := alternatives(expr); got != want {
			t.Errorf("alternatives(%q) = %d, want %d", expr, got, want)
		}
	}
}

// The v1 rules that mean the same for HTTP APIs (deny by default, public
// with a reason, public writes and catch-alls, scopes nothing checks,
// unused authorizers) judge them too, and suppressions on HTTP API elements work
// as on REST API ones.
func TestHTTPAPIFindingsAndSuppressions(t *testing.T) {
	d, diags := load.Load("testdata/http-api.hcl", load.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	for _, x := range Run(d, Config{}) {
		s := fmt.Sprintf("%d:%s %s", x.Range.Start.Line, x.Code, x.Route)
		if x.Suppressed {
			s += " suppressed: " + x.SuppressReason
		}
		got = append(got, s)
	}
	want := []string{
		"5:PCA022 ", // /stale wants access tokens, /mine takes ID tokens too
		"7:PCA020 ", // spare guards nothing
		"11:PCA001 GET /open",
		"14:PCA002 GET /public",
		"17:PCA021 GET /mine suppressed: ID tokens accepted on purpose",
		"21:PCA003 POST /open-write",
		"25:PCA003 ANY /files/{proxy+}",
		"25:PCA016 ANY /files/{proxy+}",
		"28:PCA008 ANY /files/{proxy+}", // scopes on a public route check nothing
		"33:PCA018 GET /stale",          // the route has scopes: nothing to suppress
		"38:PCA019 ",                    // users' Authorization header is not allowed
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
