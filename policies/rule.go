package policies

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
)

// Source is the Diagnostic.Source of built-in rule findings.
const Source = "policy"

// Rule is one built-in check with everything a reader needs to act on its
// findings. Examples live beside the registry in examples/ID/ and are
// embedded, so `portcullis rules show` and the docs print the files the
// tests run.
type Rule struct {
	ID       string // stable: PCA001 ...
	Name     string // kebab-case: unauthenticated-route
	Severity spec.Severity
	// Summary is one line; Explanation, Impact and Resolution are
	// paragraphs of plain text (markdown-safe).
	Summary     string
	Explanation string
	Impact      string
	Resolution  string
	Links       []string
	Options     []Option
	// HTTPAPIs says what the rule means for HTTP APIs (v2), where the
	// semantics differ: for a rule that judges REST APIs only, why (the
	// feature does not exist on HTTP APIs, or which rule judges the v2
	// case); for one that judges both, what changes on v2 and which other
	// rule reports a neighbouring fact. Plain text, markdown-safe.
	HTTPAPIs string

	// check examines one REST API, checkHTTP one HTTP API (v2); a rule
	// has either or both. Both are nil for the rules about suppressions,
	// which Finish implements because they need every other finding first.
	check     func(c *Context, a *spec.API)
	checkHTTP func(c *Context, a *spec.HTTPAPI)
}

// Kinds names the kinds of API the rule examines ("" for the rules about
// suppressions, which judge every kind).
func (r *Rule) Kinds() string {
	switch {
	case r.check != nil && r.checkHTTP != nil:
		return "REST APIs (v1) and HTTP APIs (v2)"
	case r.check != nil:
		return "REST APIs (v1)"
	case r.checkHTTP != nil:
		return "HTTP APIs (v2)"
	}
	return ""
}

// Judges lists the kinds of API the rule examines, as "rest" and "http"
// (empty for the rules about suppressions).
func (r *Rule) Judges() []string {
	out := []string{}
	if r.check != nil {
		out = append(out, "rest")
	}
	if r.checkHTTP != nil {
		out = append(out, "http")
	}
	return out
}

// checks reports whether the rule examines APIs itself.
func (r *Rule) checks() bool { return r.check != nil || r.checkHTTP != nil }

// OptionKind says how an option's value is written.
type OptionKind int

// Option kinds.
const (
	OptionInt OptionKind = iota
	OptionDuration
)

// Option is a tunable threshold of a rule, set with
// --rule-option ID.name=value.
type Option struct {
	Name    string
	Kind    OptionKind
	Default string
	Help    string
}

func (o Option) parse(v string) (any, error) {
	switch o.Kind {
	case OptionDuration:
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("%q is not a duration such as 30m or 1h", v)
		}
		return d, nil
	default:
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%q is not a whole number >= 0", v)
		}
		return n, nil
	}
}

// Config tunes a run. The zero value runs every rule with its defaults.
type Config struct {
	// Options maps "ID.name" to a value, as given to --rule-option.
	Options map[string]string
}

// ParseRuleOption reads one --rule-option ID.name=value into c, refusing
// unknown rules, unknown options and malformed values.
func (c *Config) ParseRuleOption(s string) error {
	key, value, ok := strings.Cut(s, "=")
	id, name, ok2 := strings.Cut(key, ".")
	if !ok || !ok2 {
		return fmt.Errorf("--rule-option wants ID.name=value (for example PCA012.token_validity=15m), got %q", s)
	}
	r := Lookup(id)
	if r == nil {
		return fmt.Errorf("--rule-option %s: no rule %s (see portcullis rules)", s, id)
	}
	o, found := r.option(name)
	if !found {
		var names []string
		for _, o := range r.Options {
			names = append(names, o.Name)
		}
		if len(names) == 0 {
			return fmt.Errorf("--rule-option %s: rule %s has no options", s, id)
		}
		return fmt.Errorf("--rule-option %s: rule %s has no option %q (it has %s)", s, id, name, strings.Join(names, ", "))
	}
	if _, err := o.parse(value); err != nil {
		return fmt.Errorf("--rule-option %s: %v", s, err)
	}
	if c.Options == nil {
		c.Options = map[string]string{}
	}
	c.Options[r.ID+"."+o.Name] = value
	return nil
}

func (r *Rule) option(name string) (Option, bool) {
	for _, o := range r.Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Finding is a diagnostic together with the element it concerns, so that
// the element's suppressions can apply. Rego findings are Findings too.
type Finding struct {
	spec.Diagnostic
	API        *spec.API
	Route      *spec.Route      // nil unless the finding is about a route
	Authorizer *spec.Authorizer // nil unless about an authorizer

	// The same for findings about an HTTP API (v2).
	HTTPAPI       *spec.HTTPAPI
	HTTPRoute     *spec.HTTPRoute
	JWTAuthorizer *spec.JWTAuthorizer
}

// Context is what a rule's check sees: its options and a way to report.
type Context struct {
	rule  *Rule
	cfg   Config
	out   *[]Finding
	api   *spec.API
	http  *spec.HTTPAPI // instead of api, for checkHTTP
	facts *apiFacts
}

// apiFacts are derived once per API and shared by the rules.
type apiFacts struct {
	uses map[string][]*spec.Route
}

// RoutesOf returns the routes the named authorizer guards.
func (c *Context) RoutesOf(authorizer string) []*spec.Route {
	if c.facts.uses == nil {
		c.facts.uses = routesByAuthorizer(c.api)
	}
	return c.facts.uses[authorizer]
}

func (c *Context) value(name string) any {
	o, ok := c.rule.option(name)
	if !ok {
		panic("policies: rule " + c.rule.ID + " reads undeclared option " + name)
	}
	raw := o.Default
	if v, ok := c.cfg.Options[c.rule.ID+"."+name]; ok {
		raw = v
	}
	v, err := o.parse(raw)
	if err != nil {
		// Defaults are tested and user values were checked by
		// ParseRuleOption; a bad value here is a programming error.
		panic(err)
	}
	return v
}

// Int reads an OptionInt option.
func (c *Context) Int(name string) int { return c.value(name).(int) }

// Duration reads an OptionDuration option.
func (c *Context) Duration(name string) time.Duration { return c.value(name).(time.Duration) }

func (c *Context) report(rng spec.Range, route *spec.Route, az *spec.Authorizer, summary, detail string) {
	r := rng
	f := Finding{
		Diagnostic: spec.Diagnostic{
			Severity: c.rule.Severity, Code: c.rule.ID, Summary: summary, Detail: detail,
			Range: &r, Source: Source,
		},
		API: c.api, Route: route, Authorizer: az, HTTPAPI: c.http,
	}
	if route != nil {
		f.Diagnostic.Route = route.Key()
	}
	*c.out = append(*c.out, f)
}

// HTTPRoute reports a finding about an HTTP API route at rng.
func (c *Context) HTTPRoute(r *spec.HTTPRoute, rng spec.Range, summary, format string, args ...any) {
	c.report(rng, nil, nil, summary, fmt.Sprintf(format, args...))
	f := &(*c.out)[len(*c.out)-1]
	f.HTTPRoute, f.Diagnostic.Route = r, r.Key
}

// JWTAuthorizer reports a finding about an HTTP API authorizer at rng.
func (c *Context) JWTAuthorizer(az *spec.JWTAuthorizer, rng spec.Range, summary, format string, args ...any) {
	c.report(rng, nil, nil, summary, fmt.Sprintf(format, args...))
	(*c.out)[len(*c.out)-1].JWTAuthorizer = az
}

// Route reports a finding about a route at rng.
func (c *Context) Route(r *spec.Route, rng spec.Range, summary, format string, args ...any) {
	c.report(rng, r, nil, summary, fmt.Sprintf(format, args...))
}

// Authorizer reports a finding about an authorizer at rng.
func (c *Context) Authorizer(az *spec.Authorizer, rng spec.Range, summary, format string, args ...any) {
	c.report(rng, nil, az, summary, fmt.Sprintf(format, args...))
}

// API reports a finding about the API as a whole at rng.
func (c *Context) API(rng spec.Range, summary, format string, args ...any) {
	c.report(rng, nil, nil, summary, fmt.Sprintf(format, args...))
}

// Check runs every built-in rule over every API in d. Suppressions are not
// applied yet: append any other findings (Rego) and call Finish.
func Check(d *spec.Description, cfg Config) []Finding {
	var out []Finding
	for _, a := range d.APIs {
		facts := &apiFacts{}
		for _, r := range registry {
			if r.check == nil {
				continue
			}
			r.check(&Context{rule: r, cfg: cfg, out: &out, api: a, facts: facts}, a)
		}
	}
	for _, a := range d.HTTPAPIs {
		for _, r := range registry {
			if r.checkHTTP != nil {
				r.checkHTTP(&Context{rule: r, cfg: cfg, out: &out, http: a, facts: &apiFacts{}}, a)
			}
		}
	}
	return out
}

// Run is Check followed by Finish, for callers without Rego policies.
func Run(d *spec.Description, cfg Config) spec.Diagnostics {
	return Finish(d, Check(d, cfg))
}

// Finish applies suppressions (route, authorizer and API-wide) to the
// findings, then adds the findings about the suppressions themselves: those
// without a reason, and those naming a built-in rule that does not exist or
// did not fire there. Suppressed findings stay in the result, marked.
func Finish(d *spec.Description, fs []Finding) spec.Diagnostics {
	used := map[*spec.Suppression]bool{}
	out := make(spec.Diagnostics, 0, len(fs))
	for _, f := range fs {
		if s := matchSuppression(f); s != nil {
			used[s] = true
			f.Suppressed = true
			f.SuppressReason = s.Reason
		}
		out = append(out, f.Diagnostic)
	}
	for _, a := range d.APIs {
		out = append(out, suppressionFindings(apiSuppressions(a), used)...)
	}
	for _, a := range d.HTTPAPIs {
		out = append(out, suppressionFindings(httpAPISuppressions(a), used)...)
	}
	out = out.Redact(d.Sensitive)
	out.Sort()
	return out
}

func matchSuppression(f Finding) *spec.Suppression {
	var lists [][]spec.Suppression
	if f.Route != nil {
		lists = append(lists, f.Route.Suppressions)
	}
	if f.Authorizer != nil {
		lists = append(lists, f.Authorizer.Suppressions)
	}
	if f.API != nil {
		lists = append(lists, f.API.Suppressions)
	}
	if f.HTTPRoute != nil {
		lists = append(lists, f.HTTPRoute.Suppressions)
	}
	if f.JWTAuthorizer != nil {
		lists = append(lists, f.JWTAuthorizer.Suppressions)
	}
	if f.HTTPAPI != nil {
		lists = append(lists, f.HTTPAPI.Suppressions)
	}
	for _, l := range lists {
		for i := range l {
			if suppresses(l[i].Rule, f.Code) {
				return &l[i]
			}
		}
	}
	return nil
}

// suppresses reports whether an ignore entry (a rule ID, a built-in rule's
// name, or a user policy's code) names code.
func suppresses(entry, code string) bool {
	if strings.EqualFold(entry, code) {
		return true
	}
	r := Lookup(entry)
	return r != nil && r.ID == code
}

// suppressible is one element's suppressions and how to name it.
type suppressible struct {
	list  []spec.Suppression
	owner string
	rng   spec.Range
	route string
}

func apiSuppressions(a *spec.API) []suppressible {
	out := []suppressible{{a.Suppressions, fmt.Sprintf("API %q", a.Name), a.Range, ""}}
	for _, az := range a.Authorizers {
		out = append(out, suppressible{az.Suppressions, fmt.Sprintf("Authorizer %q", az.Name), az.Range, ""})
	}
	for _, r := range a.Routes {
		if len(r.Suppressions) == 0 {
			continue // nothing to report, and a large API has thousands
		}
		out = append(out, suppressible{r.Suppressions, "Route " + r.Key(), r.At("key"), r.Key()})
	}
	return out
}

func httpAPISuppressions(a *spec.HTTPAPI) []suppressible {
	out := []suppressible{{a.Suppressions, fmt.Sprintf("HTTP API %q", a.Name), a.Range, ""}}
	for _, az := range a.Authorizers {
		out = append(out, suppressible{az.Suppressions, fmt.Sprintf("Authorizer %q", az.Name), az.Range, ""})
	}
	for _, r := range a.Routes {
		if len(r.Suppressions) == 0 {
			continue // nothing to report, and a large API has thousands
		}
		out = append(out, suppressible{r.Suppressions, "Route " + r.Key, r.At("key"), r.Key})
	}
	return out
}

// suppressionFindings reports reasonless, unknown and unused suppressions.
// They are never suppressible themselves: silencing the check on silencing
// would defeat it.
func suppressionFindings(items []suppressible, used map[*spec.Suppression]bool) spec.Diagnostics {
	var out spec.Diagnostics
	for _, it := range items {
		owner, route := it.owner, it.route
		for i := range it.list {
			s := &it.list[i]
			rng := s.Range
			if rng.Filename == "" {
				rng = it.rng
			}
			if s.Reason == "" {
				out = append(out, metaDiag(ruleSuppressionWithoutReason, rng, route,
					"Suppression without a reason",
					fmt.Sprintf("%s ignores %s without saying why. Add the reason (ignore_reason = \"...\" in HCL, reason: in x-portcullis-ignore) so reviewers can tell an accepted risk from a silenced mistake.", owner, s.Rule)))
			}
			if used[s] {
				continue
			}
			if r := Lookup(s.Rule); r != nil {
				if r.checks() {
					out = append(out, metaDiag(ruleUnusedSuppression, rng, route, "Suppression that matches no finding",
						fmt.Sprintf("%s ignores %s (%s), but that rule finds nothing there. Remove the stale suppression so it cannot hide a future finding.", owner, r.ID, r.Name)))
				}
			} else if looksBuiltin(s.Rule) {
				out = append(out, metaDiag(ruleUnusedSuppression, rng, route, "Suppression of an unknown rule",
					fmt.Sprintf("%s ignores %s, which is not a built-in rule; `portcullis rules` lists them.", owner, s.Rule)))
			}
		}
	}
	return out
}

// looksBuiltin tells a mistyped built-in ID (PCA0O1) from a user policy's
// code, which only the Rego run can vouch for.
func looksBuiltin(id string) bool {
	return len(id) > len(IDPrefix) && strings.EqualFold(id[:len(IDPrefix)], IDPrefix)
}

func metaDiag(r *Rule, rng spec.Range, route, summary, detail string) spec.Diagnostic {
	x := rng
	return spec.Diagnostic{Severity: r.Severity, Code: r.ID, Summary: summary, Detail: detail, Range: &x, Route: route, Source: Source}
}

// Rules returns the registry: every built-in rule, sorted by ID.
func Rules() []*Rule { return registry }

// Lookup finds a rule by ID (case-insensitive) or name, or nil.
func Lookup(idOrName string) *Rule {
	for _, r := range registry {
		if strings.EqualFold(r.ID, idOrName) || r.Name == idOrName {
			return r
		}
	}
	return nil
}

// IDs returns the rule IDs in registry order.
func IDs() []string {
	out := make([]string, len(registry))
	for i, r := range registry {
		out[i] = r.ID
	}
	return out
}
