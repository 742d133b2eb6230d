package diff

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Options tune Compute.
type Options struct {
	// Stage is the stage to deploy and check; "" picks the first described
	// stage, and when none is described nothing is deployed.
	Stage string
	// Prune deletes live authorizers, methods and customized gateway
	// responses the description does not have.
	Prune bool
	// Redeploy deploys the stage even when nothing shows it is needed: the
	// way out when what the stage serves could not be verified (see
	// CodeUnverified).
	Redeploy bool
}

// Result is the comparison: changes to make, and findings (plan errors
// such as a route that cannot be created, notes on undescribed methods).
type Result struct {
	Changes     []Change
	Diagnostics spec.Diagnostics
	// Stage is the resolved stage ("" = no stage: nothing is deployed).
	Stage string
}

// Codes of the findings Compute reports.
const (
	CodeCannotCreate      = "plan-cannot-create"
	CodeAmbiguous         = "plan-ambiguous-authorizer"
	CodeTypeMismatch      = "plan-authorizer-type"
	CodeUndescribedMethod = "undescribed-method"
	CodeOpenUndescribed   = "undescribed-open-method"
	CodeUndescribedAuthz  = "undescribed-authorizer"
	// CodeUnverified: the server did not give a fact the comparison needs
	// (what a stage's deployment serves); nothing is changed on its account.
	CodeUnverified = "plan-unverified"
)

// Compute compares want with have (nil when the API does not exist yet).
func Compute(want *spec.API, have *state.State, opt Options) Result {
	c := &computer{want: want, have: have, opt: opt, creating: map[string]bool{}, newRes: map[string]bool{}}
	c.run()
	return Result{Changes: c.changes, Diagnostics: c.diags, Stage: c.stage}
}

type computer struct {
	want     *spec.API
	have     *state.State
	opt      Options
	changes  []Change
	diags    spec.Diagnostics
	stage    string
	creating map[string]bool // authorizer names created by this change set
	newRes   map[string]bool // resource paths created by this change set
}

func (c *computer) add(ch Change) { c.changes = append(c.changes, ch) }

func (c *computer) diag(sev spec.Severity, code string, rng *spec.Range, route, summary, detail string) {
	d := spec.Diagnostic{Severity: sev, Code: code, Summary: summary, Detail: detail, Route: route, Source: "plan"}
	if rng != nil {
		r := *rng
		d.Range = &r
	}
	c.diags = append(c.diags, d)
}

func (c *computer) run() {
	if c.have == nil {
		c.add(Change{Action: Create, Kind: KindAPI, Address: "api." + c.want.Name, API: &APISpec{Name: c.want.Name, Description: c.want.Description},
			Fields: []Field{{"name", "", c.want.Name}}, Range: rng(c.want.Range)})
	}
	c.authorizers()
	c.methods()
	c.gatewayResponses()
	c.stageCheck()
}

func (c *computer) authorizers() {
	described := map[string]bool{}
	for _, az := range c.want.Authorizers {
		described[az.Name] = true
		lives := c.have.AuthorizerByName(az.Name)
		addr := "authorizer." + az.Name
		if len(lives) > 1 {
			var ids []string
			for _, l := range lives {
				ids = append(ids, l.ID)
			}
			c.diag(spec.SeverityError, CodeAmbiguous, rng(az.Range), "", "Several live authorizers share this name",
				fmt.Sprintf("Authorizers %s are all named %q; delete or rename all but one so Portcullis knows which to manage, e.g. `aws apigateway delete-authorizer --rest-api-id %s --authorizer-id %s` (API Gateway refuses to delete one a method still uses).",
					strings.Join(ids, ", "), az.Name, c.have.RestAPIID, ids[len(ids)-1]))
			continue
		}
		if len(lives) == 0 {
			c.creating[az.Name] = true
			c.add(Change{Action: Create, Kind: KindAuthorizer, Address: addr, Range: rng(az.Range),
				Authorizer: &AuthorizerSpec{Name: az.Name, Type: az.Type, ProviderARNs: slices.Sorted(slices.Values(az.UserPoolARNs)),
					IdentitySource: identitySource(az), ValidationExpression: az.ValidationExpression, TTLSeconds: az.TTLSeconds},
				Fields: []Field{{"type", "", az.Type}, {"user_pool_arns", "", list(slices.Sorted(slices.Values(az.UserPoolARNs)))},
					{"identity_source", "", identitySource(az)}, {"ttl_seconds", "", fmt.Sprint(az.TTLSeconds)}}})
			continue
		}
		l := lives[0]
		if l.Type != az.Type {
			c.diag(spec.SeverityError, CodeTypeMismatch, rng(az.Range), "", "Live authorizer has another type",
				fmt.Sprintf("Authorizer %q (%s) is %s in the live API, and API Gateway cannot change an authorizer's type; rename one of them.", az.Name, l.ID, l.Type))
			continue
		}
		var fields []Field
		var replaces, adds, removes []PatchOp
		if w := identitySource(az); w != l.IdentitySource {
			fields = append(fields, Field{"identity_source", l.IdentitySource, w})
			replaces = append(replaces, PatchOp{Op: "replace", Path: "/identitySource", Value: w})
		}
		if az.ValidationExpression != l.ValidationExpression {
			fields = append(fields, Field{"validation_expression", l.ValidationExpression, az.ValidationExpression})
			replaces = append(replaces, PatchOp{Op: "replace", Path: "/identityValidationExpression", Value: az.ValidationExpression})
		}
		if az.TTLSeconds != l.TTLSeconds {
			fields = append(fields, Field{"ttl_seconds", fmt.Sprint(l.TTLSeconds), fmt.Sprint(az.TTLSeconds)})
			replaces = append(replaces, PatchOp{Op: "replace", Path: "/authorizerResultTtlInSeconds", Value: fmt.Sprint(az.TTLSeconds)})
		}
		plus, minus := setDiff(slices.Sorted(slices.Values(az.UserPoolARNs)), l.UserPoolARNs)
		if len(plus)+len(minus) > 0 {
			fields = append(fields, Field{"user_pool_arns", list(l.UserPoolARNs), list(slices.Sorted(slices.Values(az.UserPoolARNs)))})
			// providerARNs cannot be empty: every add goes before any remove.
			for _, a := range plus {
				adds = append(adds, PatchOp{Op: "add", Path: "/providerARNs", Value: a})
			}
			for _, a := range minus {
				removes = append(removes, PatchOp{Op: "remove", Path: "/providerARNs", Value: a})
			}
		}
		if len(fields) > 0 {
			c.add(Change{Action: Update, Kind: KindAuthorizer, Address: addr, ID: l.ID, Fields: fields, Range: rng(az.Range),
				Ops: concat(replaces, adds, removes)})
		}
	}
	if c.have == nil {
		return
	}
	for _, l := range c.have.Authorizers {
		if described[l.Name] {
			continue
		}
		if c.opt.Prune {
			c.add(Change{Action: Delete, Kind: KindAuthorizer, Address: "authorizer." + l.Name, ID: l.ID,
				Fields: []Field{{"type", l.Type, ""}}})
			continue
		}
		c.diag(spec.SeverityInfo, CodeUndescribedAuthz, nil, "", "Authorizer not described",
			fmt.Sprintf("Live authorizer %q (%s, %s) is not in the description; it is left alone (--prune deletes it).", l.Name, l.ID, l.Type))
	}
}

func identitySource(az *spec.Authorizer) string {
	if az.IdentitySource == "" {
		return spec.DefaultIdentitySource
	}
	return az.IdentitySource
}

func (c *computer) methods() {
	wanted := map[string]bool{}
	for _, m := range wantMethods(c.want) {
		wanted[m.key()] = true
		addr := "method." + m.key()
		var r *spec.Range
		if m.Route != nil {
			r = rng(m.Route.Range)
		} else if c.want.CORS != nil {
			r = rng(c.want.CORS.Range)
		}
		lm := c.have.Method(m.Path, m.Verb)
		if lm == nil {
			if m.Integration == nil {
				c.diag(spec.SeverityError, CodeCannotCreate, r, m.key(), "Route does not exist and cannot be created",
					fmt.Sprintf("%s is not in the live API, and the route declares no integration, so Portcullis will not create it: declare an integration block, or create the method first.", m.key()))
				continue
			}
			c.ensureResources(m.Path)
			ms := &MethodSpec{AuthType: m.AuthType, Scopes: m.Scopes, RequestParameters: m.Params}
			if m.Authorizer != nil {
				ms.AuthorizerRef = m.Authorizer.Name
			}
			if m.Route != nil {
				ms.OperationName = m.Route.OperationName
			}
			fields := []Field{{"authorization_type", "", m.AuthType}}
			if ms.AuthorizerRef != "" {
				fields = append(fields, Field{"authorizer", "", ms.AuthorizerRef})
			}
			if len(m.Scopes) > 0 {
				fields = append(fields, Field{"scopes", "", list(m.Scopes)})
			}
			fields = append(fields, Field{"integration", "", integrationLabel(m.Integration)})
			c.add(Change{Action: Create, Kind: KindMethod, Address: addr, Path: m.Path, Verb: m.Verb, Route: m.key(), Range: r,
				Method: ms, Integration: integrationSpec(m.Integration), Fields: fields})
			continue
		}
		resID := c.have.Resources[m.Path].ID
		if ops, fields := c.methodOps(m, lm); len(ops) > 0 {
			c.add(Change{Action: Update, Kind: KindMethod, Address: addr, ID: resID, Path: m.Path, Verb: m.Verb, Route: m.key(), Range: r,
				Ops: ops, Fields: fields})
		}
		if m.Integration != nil {
			if fields := integrationFields(m.Integration, lm.Integration); len(fields) > 0 {
				c.add(Change{Action: Update, Kind: KindIntegration, Address: "integration." + m.key(), ID: resID, Path: m.Path, Verb: m.Verb,
					Route: m.key(), Range: r, Integration: integrationSpec(m.Integration), Fields: fields})
			}
		}
	}
	if c.have == nil {
		return
	}
	for _, path := range c.have.Paths() {
		res := c.have.Resources[path]
		for _, verb := range slices.Sorted(maps.Keys(res.Methods)) {
			key := verb + " " + path
			if wanted[key] {
				continue
			}
			lm := res.Methods[verb]
			if c.opt.Prune {
				c.add(Change{Action: Delete, Kind: KindMethod, Address: "method." + key, ID: res.ID, Path: path, Verb: verb, Route: key,
					Fields: []Field{{"authorization_type", lm.AuthorizationType, ""}}})
				continue
			}
			if lm.AuthorizationType == spec.AuthNone && !isPreflight(verb, lm) {
				c.diag(spec.SeverityWarning, CodeOpenUndescribed, nil, key, "Undescribed method is open",
					fmt.Sprintf("%s exists in the live API with authorization NONE and is not in the description: anyone can call it once deployed. Describe it (public = true with a reason, or an authorizer) or delete it (--prune).", key))
				continue
			}
			c.diag(spec.SeverityInfo, CodeUndescribedMethod, nil, key, "Method not described",
				fmt.Sprintf("%s (%s) exists in the live API but not in the description; it is left alone (--prune deletes it).", key, lm.AuthorizationType))
		}
	}
}

// isPreflight reports whether a live method is a CORS preflight mock,
// which is open by design.
func isPreflight(verb string, m *state.Method) bool {
	return verb == "OPTIONS" && m.Integration != nil && m.Integration.Type == spec.IntegrationMock
}

// ensureResources plans CreateResource for every missing segment of path,
// parents first.
func (c *computer) ensureResources(path string) {
	p := ""
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		if seg == "" {
			continue
		}
		p += "/" + seg
		if c.newRes[p] {
			continue
		}
		if c.have != nil && c.have.Resources[p] != nil {
			continue
		}
		c.newRes[p] = true
		c.add(Change{Action: Create, Kind: KindResource, Address: "resource." + p, Path: p, Fields: []Field{{"path", "", p}}})
	}
}

// methodOps are the UpdateMethod operations that bring lm to m, batched
// into one call: replaces, then adds, then removes.
func (c *computer) methodOps(m *wantMethod, lm *state.Method) ([]PatchOp, []Field) {
	var fields []Field
	var replaces, adds, removes []PatchOp
	if lm.AuthorizationType != m.AuthType {
		fields = append(fields, Field{"authorization_type", lm.AuthorizationType, m.AuthType})
		replaces = append(replaces, PatchOp{Op: "replace", Path: "/authorizationType", Value: m.AuthType})
	}
	if m.Authorizer != nil {
		name := m.Authorizer.Name
		var liveID string
		if ls := c.have.AuthorizerByName(name); len(ls) == 1 {
			liveID = ls[0].ID
		}
		if c.creating[name] || liveID != lm.AuthorizerID {
			old := lm.AuthorizerID
			if a := c.have.AuthorizerByID(old); a != nil {
				old = a.Name
			}
			fields = append(fields, Field{"authorizer", old, name})
			replaces = append(replaces, PatchOp{Op: "replace", Path: "/authorizerId", AuthorizerRef: name})
		}
	}
	plus, minus := setDiff(m.Scopes, lm.Scopes)
	if len(plus)+len(minus) > 0 {
		fields = append(fields, Field{"scopes", list(lm.Scopes), list(m.Scopes)})
		for _, s := range plus {
			adds = append(adds, PatchOp{Op: "add", Path: "/authorizationScopes", Value: s})
		}
		for _, s := range minus {
			removes = append(removes, PatchOp{Op: "remove", Path: "/authorizationScopes", Value: s})
		}
	}
	// The identity header's method request parameter rides along: it is
	// added whenever the method is patched anyway, but its absence alone
	// is no change. API Gateway authorizes without it, methods made in the
	// console or by other tools often lack it, and a plan right after
	// `portcullis import` must be empty.
	if m.Authorizer != nil && len(replaces)+len(adds)+len(removes) > 0 {
		if h := m.Authorizer.IdentityHeader(); h != "" {
			p := "method.request.header." + h
			if _, ok := lm.RequestParameters[p]; !ok {
				fields = append(fields, Field{"identity_header", "", h})
				adds = append(adds, PatchOp{Op: "add", Path: "/requestParameters/" + p, Value: "true"})
			}
		}
	}
	return concat(replaces, adds, removes), fields
}

// integrationFields lists what differs between a declared integration and
// the live one; only what the description declares is compared.
func integrationFields(want, have *spec.Integration) []Field {
	if have == nil {
		return []Field{{"integration", "(none)", integrationLabel(want)}}
	}
	var f []Field
	if !strings.EqualFold(want.Type, have.Type) {
		f = append(f, Field{"integration.type", have.Type, want.Type})
	}
	if want.Type != spec.IntegrationMock {
		if want.URI != have.URI {
			f = append(f, Field{"integration.uri", have.URI, want.URI})
		}
		if !strings.EqualFold(want.HTTPMethod, have.HTTPMethod) {
			f = append(f, Field{"integration.http_method", have.HTTPMethod, want.HTTPMethod})
		}
	}
	if want.PassthroughBehavior != "" && !strings.EqualFold(want.PassthroughBehavior, have.PassthroughBehavior) {
		f = append(f, Field{"integration.passthrough_behavior", have.PassthroughBehavior, want.PassthroughBehavior})
	}
	if len(want.RequestTemplates) > 0 && !templatesEqual(want.RequestTemplates, have.RequestTemplates) {
		f = append(f, Field{"integration.request_templates", kv(have.RequestTemplates), kv(want.RequestTemplates)})
	}
	if want.TimeoutMillis > 0 && want.TimeoutMillis != have.TimeoutMillis {
		f = append(f, Field{"integration.timeout_millis", fmt.Sprint(have.TimeoutMillis), fmt.Sprint(want.TimeoutMillis)})
	}
	if len(want.Responses) > 0 {
		hv := map[string]spec.IntegrationResponse{}
		for _, r := range have.Responses {
			hv[normPattern(r.Pattern)] = r
		}
		for _, w := range want.Responses {
			h, ok := hv[normPattern(w.Pattern)]
			if !ok || h.StatusCode != w.StatusCode || !mapsEqual(w.ResponseParameters, h.ResponseParameters) {
				f = append(f, Field{"integration.responses", responsesLabel(have.Responses), responsesLabel(want.Responses)})
				break
			}
		}
	}
	return f
}

func normPattern(p string) string {
	if p == "default" {
		return ""
	}
	return p
}

func (c *computer) gatewayResponses() {
	described := map[string]bool{}
	for _, g := range c.want.GatewayResponses {
		described[g.Type] = true
		var have *spec.GatewayResponse
		if c.have != nil {
			have = c.have.GatewayResponses[g.Type]
		}
		spec := &GatewayResponseSpec{Type: g.Type, StatusCode: g.StatusCode, ResponseParameters: g.ResponseParameters, ResponseTemplates: g.ResponseTemplates}
		addr := "gateway_response." + g.Type
		if have == nil {
			c.add(Change{Action: Create, Kind: KindGatewayResponse, Address: addr, GatewayResponse: spec, Range: rng(g.Range),
				Fields: []Field{{"response_parameters", "", kv(g.ResponseParameters)}}})
			continue
		}
		var fields []Field
		if g.StatusCode != "" && g.StatusCode != have.StatusCode {
			fields = append(fields, Field{"status_code", have.StatusCode, g.StatusCode})
		}
		if !mapsEqual(g.ResponseParameters, have.ResponseParameters) {
			fields = append(fields, Field{"response_parameters", kv(have.ResponseParameters), kv(g.ResponseParameters)})
		}
		if len(g.ResponseTemplates) > 0 && !templatesEqual(g.ResponseTemplates, have.ResponseTemplates) {
			fields = append(fields, Field{"response_templates", kv(have.ResponseTemplates), kv(g.ResponseTemplates)})
		}
		if len(fields) > 0 {
			c.add(Change{Action: Update, Kind: KindGatewayResponse, Address: addr, GatewayResponse: spec, Fields: fields, Range: rng(g.Range)})
		}
	}
	if c.have == nil || !c.opt.Prune {
		return
	}
	for _, t := range slices.Sorted(maps.Keys(c.have.GatewayResponses)) {
		if !described[t] {
			c.add(Change{Action: Delete, Kind: KindGatewayResponse, Address: "gateway_response." + t,
				GatewayResponse: &GatewayResponseSpec{Type: t}, Fields: []Field{{"response_parameters", kv(c.have.GatewayResponses[t].ResponseParameters), ""}}})
		}
	}
}

// stageCheck resolves the stage and reports whether it must be deployed
// even if nothing else changes: it does not exist, its variables differ,
// or its deployment does not serve the working configuration.
func (c *computer) stageCheck() {
	name := c.opt.Stage
	var ws *spec.Stage
	if name == "" {
		if len(c.want.Stages) == 0 {
			return
		}
		ws = c.want.Stages[0]
		name = ws.Name
	} else {
		ws = c.want.Stage(name)
	}
	c.stage = name
	st := &StageSpec{Name: name}
	var r *spec.Range
	if ws != nil {
		st.Description, st.Variables, r = ws.Description, ws.Variables, rng(ws.Range)
	}
	var hs *state.Stage
	if c.have != nil {
		hs = c.have.Stages[name]
	}
	if hs == nil {
		c.add(Change{Action: Create, Kind: KindStage, Address: "stage." + name, Stage: st, Range: r, Fields: []Field{{"deployment", "", "(new)"}}})
		return
	}
	st.Exists = true
	var fields []Field
	// CreateDeployment merges variables into the stage, so only the
	// described ones are compared.
	if ws != nil && !subset(ws.Variables, hs.Variables) {
		fields = append(fields, Field{"variables", kv(hs.Variables), kv(ws.Variables)})
	}
	undeployed := Undeployed(c.have, hs)
	if len(undeployed) > 0 {
		st.Undeployed = true
		fields = append(fields, undeployed...)
	}
	if d := hs.Deployed; d != nil && len(d.Unknowns) > 0 {
		var missing []string
		for _, u := range d.Unknowns {
			missing = append(missing, u.String())
		}
		what := "Portcullis compared what it could and plans no deployment on account of what it could not; " +
			"--redeploy would deploy the working configuration to stage " + name + " anyway"
		if c.opt.Redeploy {
			what = "--redeploy deploys the working configuration anyway"
		}
		c.diag(spec.SeverityWarning, CodeUnverified, r, "", "Could not verify what stage "+name+" serves",
			strings.Join(missing, "; ")+". "+what+".")
	}
	if c.opt.Redeploy && len(fields) == 0 {
		fields = append(fields, Field{"redeploy", "", "requested (--redeploy)"})
	}
	if len(fields) > 0 {
		c.add(Change{Action: Update, Kind: KindStage, Address: "stage." + name, Stage: st, Range: r, Fields: fields})
	}
}

// Undeployed lists the differences between what the stage's deployment
// serves and the API's working configuration: methods added or removed,
// authorization types (the deployment's apisummary), and, when the stage
// export could be read, authorizers, scopes and user pools. Nil means the
// stage serves the working configuration as far as what was read shows
// (or its deployment was not read at all); facts left unknown are not
// compared.
func Undeployed(have *state.State, st *state.Stage) []Field {
	d := st.Deployed
	if d == nil {
		return nil
	}
	var f []Field
	working := map[string]*state.Method{}
	for _, p := range have.Paths() {
		for verb, m := range have.Resources[p].Methods {
			working[verb+" "+p] = m
		}
	}
	for _, k := range slices.Sorted(maps.Keys(working)) {
		m := working[k]
		// A nil Auth or Security is unknown (the server did not give it):
		// it is compared with nothing, never read as "no methods".
		if d.Auth != nil {
			dep, ok := d.Auth[k]
			switch {
			case !ok:
				f = append(f, Field{"deployed " + k, "(absent)", m.AuthorizationType})
				continue
			case dep != m.AuthorizationType:
				f = append(f, Field{"deployed " + k, dep, m.AuthorizationType})
				continue
			}
		}
		if d.Security != nil && (m.AuthorizationType == spec.AuthCognito || m.AuthorizationType == spec.AuthNone) {
			want := ""
			if m.AuthorizationType == spec.AuthCognito {
				name := m.AuthorizerID
				if a := have.AuthorizerByID(name); a != nil {
					name = a.Name
				}
				want = state.SecurityKey(name, m.Scopes)
			}
			if got, ok := d.Security[k]; ok && got != want {
				f = append(f, Field{"deployed " + k + " security", got, want})
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(d.Auth)) {
		if working[k] == nil {
			f = append(f, Field{"deployed " + k, d.Auth[k], "(deleted)"})
		}
	}
	if d.Pools != nil {
		for _, a := range have.Authorizers {
			if a.Type != spec.AuthorizerCognito {
				continue
			}
			if got, ok := d.Pools[a.Name]; ok && list(got) != list(a.UserPoolARNs) {
				f = append(f, Field{"deployed authorizer." + a.Name + " user_pool_arns", list(got), list(a.UserPoolARNs)})
			}
		}
	}
	return f
}

func rng(r spec.Range) *spec.Range {
	if r.Filename == "" {
		return nil
	}
	return &r
}

// setDiff returns what want has that have lacks, and the reverse.
func setDiff(want, have []string) (plus, minus []string) {
	h := map[string]bool{}
	for _, x := range have {
		h[x] = true
	}
	w := map[string]bool{}
	for _, x := range want {
		w[x] = true
		if !h[x] {
			plus = append(plus, x)
		}
	}
	for _, x := range have {
		if !w[x] {
			minus = append(minus, x)
		}
	}
	sort.Strings(plus)
	sort.Strings(minus)
	return plus, minus
}

func concat(parts ...[]PatchOp) []PatchOp {
	var out []PatchOp
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// templatesEqual compares mapping templates by content type; a template
// that is JSON on both sides compares by JSON value, so `{"statusCode":200}`
// and `{"statusCode": 200}` (how a MOCK template is often written, and how
// servers may re-space it) are the same setting. Anything else (VTL)
// compares as text.
func templatesEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !JSONEqual(av, bv) {
			return false
		}
	}
	return true
}

// JSONEqual reports whether a and b are the same text, or both JSON with
// the same value.
func JSONEqual(a, b string) bool {
	if a == b {
		return true
	}
	var av, bv any
	if json.Unmarshal([]byte(a), &av) != nil || json.Unmarshal([]byte(b), &bv) != nil {
		return false
	}
	return reflect.DeepEqual(av, bv)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return maps.Equal(a, b)
}

func subset(want, have map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}

func list(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

func kv(m map[string]string) string {
	if len(m) == 0 {
		return "{}"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%s", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func integrationLabel(in *spec.Integration) string {
	if in == nil {
		return "(none)"
	}
	if in.URI == "" {
		return in.Type
	}
	return in.Type + " " + in.URI
}

func responsesLabel(rs []spec.IntegrationResponse) string {
	var parts []string
	for _, r := range rs {
		p := normPattern(r.Pattern)
		if p == "" {
			p = "default"
		}
		parts = append(parts, p+"="+r.StatusCode+kv(r.ResponseParameters))
	}
	return list(parts)
}
