package audit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// unknown is what a route row says a stage serves when the gateway did
// not say.
const unknown = "UNKNOWN"

// Judgement is what judging one REST API needs besides its live state.
type Judgement struct {
	Region string
	// Baseline is the REST API's description (nil: none matched).
	Baseline *spec.API
	// HTTPBaseline is the HTTP API's description (nil: none matched).
	HTTPBaseline *spec.HTTPAPI
	// HaveBaseline is true when the audit runs with --baseline at all, so
	// an API without a description is reported as such.
	HaveBaseline bool
	// Accounts are the accounts user pools are expected in (empty: any).
	Accounts []string
	Rules    policies.Config
}

// ARN of a REST API and of things under it, in API Gateway's resource ARN
// form (arn:aws:apigateway:REGION::/restapis/ID/...).
func restARN(region, id string) string {
	return "arn:aws:apigateway:" + region + "::/restapis/" + id
}

// judgeREST turns one live REST API into a result: the model the rules
// judge (with intent from the baseline), the live-only checks, and the
// rows the reports show. It returns the model too, for the probe.
func judgeREST(s *state.State, j Judgement) (*APIResult, *spec.API) {
	arn := restARN(j.Region, s.RestAPIID)
	m := s.Model
	res := &APIResult{Kind: KindREST, Region: j.Region, ID: s.RestAPIID, Name: m.Name, Description: m.Description, ARN: arn,
		Baseline: File(j.Baseline)}

	// The live model marks every NONE method public; here only the
	// baseline (or a CORS preflight) may say so.
	model := *m
	model.Region = j.Region
	model.Range = spec.Range{Filename: arn}
	model.Routes = nil
	model.Authorizers = nil
	model.Suppressions = nil
	accepted := map[string]string{}
	routeARN := map[string]string{}
	for _, r := range m.Routes {
		c := *r
		c.Range = spec.Range{Filename: methodARN(s, arn, r.Method, r.Path)}
		routeARN[c.Key()] = c.Range.Filename
		c.Public, c.Reason = false, ""
		if c.AuthType == spec.AuthNone {
			c.Public, c.Reason = acceptedOpen(j.Baseline, r)
			if c.Public {
				accepted[c.Key()] = c.Reason
			}
		}
		if j.Baseline != nil {
			if br := j.Baseline.Route(r.Method, r.Path); br != nil {
				c.Suppressions = br.Suppressions
			}
		}
		model.Routes = append(model.Routes, &c)
	}
	for _, a := range m.Authorizers {
		c := *a
		c.Range = spec.Range{Filename: arn + "/authorizers/" + a.ID}
		if j.Baseline != nil {
			if ba := j.Baseline.AuthorizerByName(a.Name); ba != nil {
				c.Suppressions = ba.Suppressions
			}
		}
		model.Authorizers = append(model.Authorizers, &c)
	}
	if j.Baseline != nil {
		model.CORS = j.Baseline.CORS
		model.Suppressions = j.Baseline.Suppressions
	}

	var fs []Finding
	one := &spec.Description{APIs: []*spec.API{&model}}
	for _, d := range policies.Finish(one, policies.Check(one, j.Rules)) {
		switch d.Code {
		case "PCA017", "PCA018":
			// About the baseline's own suppressions: validate reports them
			// on the description, where they can be fixed.
			continue
		case "PCA001":
			verb, path := routeParts(d.Route)
			var serving []string
			for _, name := range stageNames(s) {
				if st := s.Stages[name]; st.Deployed != nil && st.Deployed.Auth[d.Route] == spec.AuthNone {
					serving = append(serving, name)
				}
			}
			fs = append(fs, openFinding(d, j.Baseline != nil, j.Baseline != nil && j.Baseline.Route(verb, path) != nil, serving))
			continue
		}
		fs = append(fs, fromDiagnostic(d, arn))
	}

	res.Authorizers = authorizerRows(s)
	res.Routes = routeRows(s, &model, accepted, routeARN)
	res.Stages, fs = stageChecks(s, arn, accepted, res.Routes, fs)
	fs = append(fs, corsCheck(s, &model, arn)...)
	fs = append(fs, poolChecks(s, j, arn)...)
	if j.HaveBaseline && j.Baseline == nil {
		fs = append(fs, finding(CodeNoDescription, arn, "", "",
			fmt.Sprintf("No description in the baseline matches REST API %q (%s) in %s by rest_api_id or by name and region.", m.Name, s.RestAPIID, j.Region)))
	}
	sortFindings(fs)
	res.Findings = fs
	return res, &model
}

// acceptedOpen says whether the baseline declares an open method public
// with a reason. A CORS preflight (OPTIONS with a MOCK integration) is
// open by design, as browsers send it without credentials.
func acceptedOpen(b *spec.API, r *spec.Route) (bool, string) {
	if b != nil {
		if br := b.Route(r.Method, r.Path); br != nil && br.Public && strings.TrimSpace(br.Reason) != "" {
			return true, br.Reason
		}
	}
	if r.Method == "OPTIONS" && r.Integration != nil && r.Integration.Type == spec.IntegrationMock {
		return true, "CORS preflight"
	}
	return false, ""
}

func methodARN(s *state.State, api, verb, path string) string {
	id := path
	if r := s.Resources[path]; r != nil {
		id = r.ID
	}
	return api + "/resources/" + id + "/methods/" + verb
}

func finding(code, arn, route, stage, detail string) Finding {
	c := lookupCheck(code)
	return Finding{Severity: c.Severity, Code: code, Name: c.Name, Summary: c.Summary, Detail: detail, ARN: arn,
		Route: route, Stage: stage, Source: "audit", Help: HelpURI(code)}
}

// fromDiagnostic converts a rule's finding; the model's ranges carry the
// ARN of the element it is about.
func fromDiagnostic(d spec.Diagnostic, fallback string) Finding {
	arn := fallback
	if d.Range != nil && d.Range.Filename != "" {
		arn = d.Range.Filename
	}
	return Finding{Severity: d.Severity, Code: d.Code, Name: nameOf(d.Code), Summary: d.Summary, Detail: d.Detail, ARN: arn,
		Route: d.Route, Source: d.Source, Help: HelpURI(d.Code), Suppressed: d.Suppressed, SuppressReason: d.SuppressReason}
}

// openFinding replaces the rule's "not declared public" by what the audit
// knows: intent unknown without a description, not declared with one (or
// not there at all); and which stages serve the method open.
func openFinding(d spec.Diagnostic, described, inDescription bool, serving []string) Finding {
	code := CodeOpenIntentUnknown
	why := "no description says whether that is on purpose"
	if described {
		code = CodeOpenNotDeclared
		why = "its description does not declare it public"
		if !inDescription {
			why = "its description does not have it (added out of band)"
		}
	}
	where := "no stage serves it yet (it opens with the next deployment)"
	if len(serving) > 0 {
		where = "served open by stage " + strings.Join(serving, ", ")
	}
	f := fromDiagnostic(d, "")
	c := lookupCheck(code)
	f.Code, f.Name, f.Severity, f.Summary, f.Source, f.Help = code, c.Name, c.Severity, c.Summary, "audit", HelpURI(code)
	f.Detail = fmt.Sprintf("%s has authorization NONE and %s; %s.", d.Route, why, where)
	return f
}

func routeParts(key string) (string, string) {
	verb, path, _ := strings.Cut(key, " ")
	return verb, path
}

func stageNames(s *state.State) []string {
	out := make([]string, 0, len(s.Stages))
	for n := range s.Stages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func authorizerRows(s *state.State) []AuthorizerRow {
	out := make([]AuthorizerRow, 0, len(s.Authorizers))
	for _, a := range s.Authorizers {
		out = append(out, AuthorizerRow{ID: a.ID, Name: a.Name, Type: a.Type, Pools: a.UserPoolARNs, IdentitySource: a.IdentitySource, TTLSeconds: a.TTLSeconds})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Name < out[j].Name || out[i].Name == out[j].Name && out[i].ID < out[j].ID
	})
	return out
}

func routeRows(s *state.State, m *spec.API, accepted, arns map[string]string) []RouteRow {
	out := make([]RouteRow, 0, len(m.Routes))
	for _, r := range m.Routes {
		row := RouteRow{Method: r.Method, Path: r.Path, Authorization: r.AuthType, Authorizer: r.Authorizer, Scopes: r.Scopes,
			Accepted: accepted[r.Key()], Deployed: map[string]string{}, ARN: arns[r.Key()]}
		for name, st := range s.Stages {
			if st.Deployed == nil {
				continue
			}
			if st.Deployed.Auth == nil {
				row.Deployed[name] = unknown
			} else if auth, ok := st.Deployed.Auth[r.Key()]; ok {
				row.Deployed[name] = auth
			}
		}
		out = append(out, row)
	}
	return out
}

// stageChecks finds stages without a deployment, undeployed changes, and
// methods a stage serves open that the working configuration protects or
// no longer has.
func stageChecks(s *state.State, arn string, accepted map[string]string, rows []RouteRow, fs []Finding) ([]StageRow, []Finding) {
	working := map[string]string{}
	for _, r := range rows {
		working[r.Key()] = r.Authorization
	}
	var out []StageRow
	for _, name := range stageNames(s) {
		st := s.Stages[name]
		sarn := arn + "/stages/" + name
		row := StageRow{Name: name, DeploymentID: st.DeploymentID}
		if st.DeploymentID == "" {
			fs = append(fs, finding(CodeNoDeployment, sarn, "", name, fmt.Sprintf("Stage %q points at no deployment.", name)))
			out = append(out, row)
			continue
		}
		for _, f := range diff.Undeployed(s, st) {
			row.Undeployed = append(row.Undeployed, fmt.Sprintf("%s: %s -> %s", strings.TrimPrefix(f.Name, "deployed "), f.Old, f.New))
		}
		if d := st.Deployed; d != nil && len(d.Unknowns) > 0 {
			var missing []string
			for _, u := range d.Unknowns {
				missing = append(missing, u.String())
			}
			fs = append(fs, finding(CodeUnverified, sarn, "", name,
				fmt.Sprintf("Stage %q: %s; what the gateway did not say was not compared.", name, strings.Join(missing, "; "))))
		}
		if len(row.Undeployed) > 0 {
			fs = append(fs, finding(CodeUndeployed, sarn, "", name,
				fmt.Sprintf("Stage %q serves deployment %s, which differs from the working configuration (deployed -> working): %s.", name, st.DeploymentID, strings.Join(row.Undeployed, "; "))))
		}
		if st.Deployed != nil {
			for _, key := range sortedKeys(st.Deployed.Auth) {
				if st.Deployed.Auth[key] != spec.AuthNone || accepted[key] != "" {
					continue
				}
				now, ok := working[key]
				if ok && now == spec.AuthNone {
					continue // reported as an open method, with its stages
				}
				state := "protects it with " + now
				if !ok {
					state = "no longer has it"
				}
				fs = append(fs, finding(CodeServedOpen, sarn, key, name,
					fmt.Sprintf("Stage %q serves %s with authorization NONE, while the working configuration %s: the protection was never deployed.", name, key, state)))
			}
		}
		out = append(out, row)
	}
	return out, fs
}

// corsCheck reports a browser-facing API whose refusals carry no CORS
// headers. With a described cors block, rule PCA005 judges this instead.
func corsCheck(s *state.State, m *spec.API, arn string) []Finding {
	if m.CORS != nil || !m.HasAuthenticatedRoutes() {
		return nil
	}
	preflight := false
	for _, r := range m.Routes {
		if r.Method == "OPTIONS" && r.AuthType == spec.AuthNone {
			preflight = true
			break
		}
	}
	if !preflight {
		return nil
	}
	var missing []string
	for _, t := range []string{"UNAUTHORIZED", "ACCESS_DENIED"} {
		g := s.GatewayResponses[t]
		if g == nil {
			g = s.GatewayResponses["DEFAULT_4XX"]
		}
		if g == nil || !allowsOrigin(g) {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	garn := arn + "/gatewayresponses/DEFAULT_4XX"
	return []Finding{finding(CodeErrorsWithoutCORS, garn, "", "",
		fmt.Sprintf("The API answers CORS preflights but its %s answers (and DEFAULT_4XX) set no Access-Control-Allow-Origin, so browsers show a refused token as a CORS error.", strings.Join(missing, " and ")))}
}

func allowsOrigin(g *spec.GatewayResponse) bool {
	for k, v := range g.ResponseParameters {
		if strings.EqualFold(k, "gatewayresponse.header.Access-Control-Allow-Origin") && spec.Unquote(v) != "" {
			return true
		}
	}
	return false
}

// poolChecks reports pools outside the expected accounts and pools the
// description does not list for the authorizer. Pools in another region
// than the API are rule PCA013's.
func poolChecks(s *state.State, j Judgement, arn string) []Finding {
	var out []Finding
	for _, a := range s.Authorizers {
		if a.Type != spec.AuthorizerCognito {
			continue
		}
		aarn := arn + "/authorizers/" + a.ID
		var described []string
		if j.Baseline != nil {
			if ba := j.Baseline.AuthorizerByName(a.Name); ba != nil {
				described = ba.UserPoolARNs
			}
		}
		for _, p := range a.UserPoolARNs {
			pa, err := spec.ParsePoolARN(p)
			if err == nil && len(j.Accounts) > 0 && !contains(j.Accounts, pa.Account) {
				out = append(out, finding(CodePoolUnexpected, aarn, "", "",
					fmt.Sprintf("Authorizer %q trusts pool %s in account %s, not one of the expected accounts (%s).", a.Name, pa.PoolID, pa.Account, strings.Join(j.Accounts, ", "))))
			}
			if described != nil && !contains(described, p) {
				out = append(out, finding(CodePoolUnexpected, aarn, "", "",
					fmt.Sprintf("Authorizer %q trusts %s, which its description does not list (%s).", a.Name, p, strings.Join(described, ", "))))
			}
		}
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
