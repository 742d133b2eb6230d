package diff

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Kinds of HTTP API (v2) element: the REST kinds where the element is the
// same idea, so that a plan's `kind` reads the same for both kinds of API
// (docs/cli.md#plans-as-json), and the HTTP API's own.
const (
	KindHTTPAPI           = KindAPI
	KindCORS         Kind = "cors"
	KindRoute        Kind = "route"
	KindDeployment   Kind = "deployment"
	KindHTTPStage         = KindStage
	KindHTTPIntegr        = KindIntegration
	KindJWTAuthorize      = KindAuthorizer
)

// HTTPChange is one difference between an HTTP API's description and the
// live API, with what apply sends to remove it (apigatewayv2 calls take
// whole values, not patch operations).
type HTTPChange struct {
	Action  Action  `json:"action"`
	Kind    Kind    `json:"kind"`
	Address string  `json:"address"`
	Fields  []Field `json:"fields"`
	// ID is the live id of what is updated or deleted.
	ID string `json:"id,omitempty"`
	// Key is the authorizer name, route key, stage name or integration
	// reference the change is about.
	Key string `json:"key"`

	API         *spec.HTTPAPI         `json:"-"`
	CORS        *spec.CORS            `json:"-"`
	Authorizer  *spec.JWTAuthorizer   `json:"-"`
	Integration *spec.HTTPIntegration `json:"-"`
	// IntegrationRef names the integration a route targets: a live id, or
	// "new:N" for the N-th integration this apply creates.
	IntegrationRef string          `json:"integration_ref,omitempty"`
	Route          *spec.HTTPRoute `json:"-"`
	Stage          *spec.HTTPStage `json:"-"`
	// Opens is true for a route change that leaves a protected route open
	// (only when the description says so: public).
	Opens bool `json:"opens,omitempty"`
}

// MarshalJSON writes fields as a list even when there are none (see
// Change.MarshalJSON).
func (c HTTPChange) MarshalJSON() ([]byte, error) {
	type plain HTTPChange
	if c.Fields == nil {
		c.Fields = []Field{}
	}
	return json.Marshal(plain(c))
}

// HTTPOptions are the knobs of an HTTP API comparison.
type HTTPOptions struct {
	// Stage is the stage to deploy ("" = the first described).
	Stage string
	// Prune deletes routes, authorizers and integrations the description
	// does not have.
	Prune bool
}

// HTTPResult is the comparison: changes in apply order (adds before
// removes, see the plan package) and diagnostics.
type HTTPResult struct {
	Changes     []HTTPChange
	Diagnostics spec.Diagnostics
	// Stage is the stage deployed; AutoDeploy says it deploys itself.
	Stage      string
	AutoDeploy bool
	// Undeployed is true when the stage's deployment serves another auth
	// surface than the working configuration (after the changes).
	Undeployed bool
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

func sameSet(a, b []string) bool {
	return strings.Join(sortedCopy(a), "\x00") == strings.Join(sortedCopy(b), "\x00")
}

func sameFoldSet(a, b []string) bool {
	lower := func(s []string) []string {
		out := make([]string, len(s))
		for i, v := range s {
			out[i] = strings.ToLower(v)
		}
		return out
	}
	return sameSet(lower(a), lower(b))
}

func rangeOf(r spec.Range) *spec.Range {
	if r.Filename == "" {
		return nil
	}
	return &r
}

// CORSFields lists how two CORS configurations differ (nil: the same).
func CORSFields(want, have *spec.CORS) []Field {
	str := func(c *spec.CORS) string {
		if c == nil {
			return "(none)"
		}
		return fmt.Sprintf("origins %s methods %s headers %s expose %s credentials %v max-age %d",
			list(c.AllowOrigins), list(c.AllowMethods), list(c.AllowHeaders), list(c.ExposeHeaders), c.AllowCredentials, c.MaxAgeSeconds)
	}
	if want == nil && have == nil {
		return nil
	}
	if want == nil || have == nil || !sameSet(want.AllowOrigins, have.AllowOrigins) || !sameFoldSet(want.AllowMethods, have.AllowMethods) ||
		!sameFoldSet(want.AllowHeaders, have.AllowHeaders) || !sameFoldSet(want.ExposeHeaders, have.ExposeHeaders) ||
		want.AllowCredentials != have.AllowCredentials || want.MaxAgeSeconds != have.MaxAgeSeconds {
		return []Field{{Name: "cors", Old: str(have), New: str(want)}}
	}
	return nil
}

func authorizerFields(want *spec.JWTAuthorizer, have *state.HTTPAuthorizer) []Field {
	var fs []Field
	if want.Issuer != have.Issuer {
		fs = append(fs, Field{Name: "issuer", Old: have.Issuer, New: want.Issuer})
	}
	if !sameSet(want.Audiences, have.Audiences) {
		fs = append(fs, Field{Name: "audiences", Old: list(sortedCopy(have.Audiences)), New: list(sortedCopy(want.Audiences))})
	}
	src := want.IdentitySources
	if len(src) == 0 {
		src = []string{spec.DefaultJWTIdentitySource}
	}
	if !sameSet(src, have.IdentitySources) {
		fs = append(fs, Field{Name: "identity_source", Old: list(have.IdentitySources), New: list(src)})
	}
	return fs
}

func sameIntegration(want *spec.HTTPIntegration, have *state.HTTPIntegration) bool {
	w := *want
	spec.DefaultHTTPIntegration(&w)
	// The live read gives 0 for API Gateway's default timeout, so a
	// description that spells the default out is the same integration.
	if w.TimeoutMillis == spec.DefaultHTTPTimeoutMillis {
		w.TimeoutMillis = 0
	}
	// A Lambda proxy is always invoked with POST, whatever the method
	// reads back as.
	sameMethod := w.Type == spec.IntegrationAWSProxy || strings.EqualFold(w.Method, have.Method)
	return w.Type == have.Type && w.URI == have.URI && sameMethod &&
		w.PayloadFormatVersion == have.PayloadFormatVersion && w.TimeoutMillis == have.TimeoutMillis
}

func integrationString(in *spec.HTTPIntegration) string {
	if in == nil {
		return "(none)"
	}
	s := in.Type + " " + in.URI
	if in.Method != "" && in.Type == spec.IntegrationHTTPProxy {
		s += " " + in.Method
	}
	if in.PayloadFormatVersion != "" {
		s += " payload " + in.PayloadFormatVersion
	}
	if in.TimeoutMillis > 0 {
		s += " timeout " + strconv.Itoa(in.TimeoutMillis) + "ms"
	}
	return s
}

// wantAuth is the described route's auth summary (state.RouteAuth).
func wantAuth(r *spec.HTTPRoute) string {
	return state.RouteAuth(r.AuthType, r.Authorizer, r.Scopes)
}

func haveAuth(have *state.HTTPAPI, r *state.HTTPRoute) string {
	name := r.AuthorizerID
	if az := have.AuthorizerByID(r.AuthorizerID); az != nil {
		name = az.Name
	}
	return state.RouteAuth(r.AuthorizationType, name, r.Scopes)
}

// HTTP compares an HTTP API's description with the live API (nil: it does
// not exist yet).
func HTTP(want *spec.HTTPAPI, have *state.HTTPAPI, o HTTPOptions) HTTPResult {
	res := HTTPResult{Stage: o.Stage}
	if res.Stage == "" && len(want.Stages) > 0 {
		res.Stage = want.Stages[0].Name
	}
	if st := want.Stage(res.Stage); st != nil {
		res.AutoDeploy = st.AutoDeploy
	}
	if have == nil {
		have = &state.HTTPAPI{Integrations: map[string]*state.HTTPIntegration{}, Stages: map[string]*state.HTTPStage{}}
		res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindHTTPAPI, Address: "http_api." + want.Name, Key: want.Name, API: want, CORS: want.CORS})
	} else {
		if want.Description != have.Description {
			res.Changes = append(res.Changes, HTTPChange{Action: Update, Kind: KindHTTPAPI, Address: "http_api." + want.Name, ID: have.APIID, Key: want.Name, API: want,
				Fields: []Field{{Name: "description", Old: have.Description, New: want.Description}}})
		}
		if fs := CORSFields(want.CORS, have.CORS); fs != nil {
			act := Update
			if want.CORS == nil {
				act = Delete
			}
			res.Changes = append(res.Changes, HTTPChange{Action: act, Kind: KindCORS, Address: "http_api." + want.Name + ".cors", ID: have.APIID, Key: "cors", CORS: want.CORS, Fields: fs})
		}
	}

	// Authorizers by name.
	for _, az := range want.Authorizers {
		live := have.AuthorizerByName(az.Name)
		switch {
		case live == nil:
			res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindJWTAuthorize, Address: "authorizer." + az.Name, Key: az.Name, Authorizer: az,
				Fields: []Field{{Name: "issuer", New: az.Issuer}, {Name: "audiences", New: list(sortedCopy(az.Audiences))}}})
		case live.Type != "" && live.Type != spec.AuthorizerJWT:
			res.Diagnostics = append(res.Diagnostics, spec.Diagnostic{Severity: spec.SeverityError, Code: "plan-authorizer-type", Source: "plan",
				Summary: "Authorizer has another type live", Detail: fmt.Sprintf("Authorizer %q is a %s authorizer in the live API; API Gateway cannot change an authorizer's type: rename one.", az.Name, live.Type), Range: rangeOf(az.Range)})
		default:
			if fs := authorizerFields(az, live); fs != nil {
				res.Changes = append(res.Changes, HTTPChange{Action: Update, Kind: KindJWTAuthorize, Address: "authorizer." + az.Name, ID: live.ID, Key: az.Name, Authorizer: az, Fields: fs})
			}
		}
	}

	// Integrations are shared by id live and per route in the model: a
	// route keeps its live integration when it matches, updates it in place
	// when only this route uses it, and otherwise uses (or creates) one
	// that matches.
	users := map[string]int{}
	for _, r := range have.Routes {
		users[r.Target]++
	}
	var created []*spec.HTTPIntegration
	ref := func(r *spec.HTTPRoute, liveRoute *state.HTTPRoute) string {
		in := r.Integration
		if in == nil {
			if liveRoute != nil {
				return strings.TrimPrefix(liveRoute.Target, "integrations/")
			}
			return ""
		}
		if liveRoute != nil {
			if cur := have.Integration(liveRoute.Target); cur != nil {
				if sameIntegration(in, cur) {
					return cur.ID
				}
				if users[liveRoute.Target] == 1 {
					c := *in
					spec.DefaultHTTPIntegration(&c)
					res.Changes = append(res.Changes, HTTPChange{Action: Update, Kind: KindHTTPIntegr, Address: "route." + r.Key + ".integration", ID: cur.ID, Key: cur.ID, Integration: &c,
						Fields: []Field{{Name: "integration", Old: integrationString(&cur.HTTPIntegration), New: integrationString(&c)}}})
					return cur.ID
				}
			}
		}
		ids := make([]string, 0, len(have.Integrations))
		for id := range have.Integrations {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if sameIntegration(in, have.Integrations[id]) {
				return id
			}
		}
		for i, c := range created {
			if sameIntegration(in, &state.HTTPIntegration{HTTPIntegration: *c}) {
				return "new:" + strconv.Itoa(i)
			}
		}
		c := *in
		spec.DefaultHTTPIntegration(&c)
		created = append(created, &c)
		n := len(created) - 1
		res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindHTTPIntegr, Address: "route." + r.Key + ".integration", Key: "new:" + strconv.Itoa(n), Integration: &c,
			Fields: []Field{{Name: "integration", New: integrationString(&c)}}})
		return "new:" + strconv.Itoa(n)
	}

	described := map[string]bool{}
	for _, r := range want.Routes {
		described[r.Key] = true
		live := have.Route(r.Key)
		target := ref(r, live)
		if live == nil {
			fs := []Field{{Name: "authorization", New: wantAuth(r)}}
			if r.Integration != nil {
				fs = append(fs, Field{Name: "integration", New: integrationString(r.Integration)})
			}
			res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindRoute, Address: "route." + r.Key, Key: r.Key, Route: r, IntegrationRef: target, Fields: fs})
			continue
		}
		var fs []Field
		if w, h := wantAuth(r), haveAuth(have, live); w != h {
			fs = append(fs, Field{Name: "authorization", Old: h, New: w})
		}
		if target != strings.TrimPrefix(live.Target, "integrations/") {
			fs = append(fs, Field{Name: "target", Old: live.Target, New: "integrations/" + target})
		}
		if fs != nil {
			opens := (live.AuthorizationType != "" && live.AuthorizationType != spec.AuthNone) && r.AuthType == spec.AuthNone
			res.Changes = append(res.Changes, HTTPChange{Action: Update, Kind: KindRoute, Address: "route." + r.Key, ID: live.ID, Key: r.Key, Route: r, IntegrationRef: target, Fields: fs, Opens: opens})
		}
	}
	usedAuth := map[string]bool{}
	for _, r := range want.Routes {
		usedAuth[r.Authorizer] = true
	}
	for _, lr := range have.Routes {
		if described[lr.Key] {
			continue
		}
		open := lr.AuthorizationType == "" || lr.AuthorizationType == spec.AuthNone
		if o.Prune {
			res.Changes = append(res.Changes, HTTPChange{Action: Delete, Kind: KindRoute, Address: "route." + lr.Key, ID: lr.ID, Key: lr.Key,
				Fields: []Field{{Name: "authorization", Old: haveAuth(have, lr)}}})
			continue
		}
		if az := have.AuthorizerByID(lr.AuthorizerID); az != nil {
			usedAuth[az.Name] = true
		}
		if open {
			res.Diagnostics = append(res.Diagnostics, spec.Diagnostic{Severity: spec.SeverityWarning, Code: CodeOpenUndescribed, Source: "plan", Route: lr.Key,
				Summary: "Open route nobody described", Detail: fmt.Sprintf("The live route %s has no authorization and is not in the description; describe it or delete it with --prune.", lr.Key), Range: rangeOf(want.Range)})
		}
	}
	if o.Prune {
		for _, az := range have.Authorizers {
			if want.AuthorizerByName(az.Name) == nil && !usedAuth[az.Name] {
				res.Changes = append(res.Changes, HTTPChange{Action: Delete, Kind: KindJWTAuthorize, Address: "authorizer." + az.Name, ID: az.ID, Key: az.Name,
					Fields: []Field{{Name: "issuer", Old: az.Issuer}}})
			}
		}
	} else {
		for _, az := range have.Authorizers {
			if want.AuthorizerByName(az.Name) == nil {
				res.Diagnostics = append(res.Diagnostics, spec.Diagnostic{Severity: spec.SeverityWarning, Code: CodeUndescribedAuthz, Source: "plan",
					Summary: "Authorizer nobody described", Detail: fmt.Sprintf("The live authorizer %q is not in the description; describe it or delete it with --prune.", az.Name), Range: rangeOf(want.Range)})
			}
		}
	}

	// Stages.
	for _, st := range want.Stages {
		live := have.Stages[st.Name]
		if live == nil {
			res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindHTTPStage, Address: "stage." + st.Name, Key: st.Name, Stage: st,
				Fields: []Field{{Name: "auto_deploy", New: strconv.FormatBool(st.AutoDeploy)}}})
			continue
		}
		var fs []Field
		if live.AutoDeploy != st.AutoDeploy {
			fs = append(fs, Field{Name: "auto_deploy", Old: strconv.FormatBool(live.AutoDeploy), New: strconv.FormatBool(st.AutoDeploy)})
		}
		if live.Description != st.Description {
			fs = append(fs, Field{Name: "description", Old: live.Description, New: st.Description})
		}
		if !sameVars(live.Variables, st.Variables) {
			fs = append(fs, Field{Name: "variables", Old: varsString(live.Variables), New: varsString(st.Variables)})
		}
		if fs != nil {
			res.Changes = append(res.Changes, HTTPChange{Action: Update, Kind: KindHTTPStage, Address: "stage." + st.Name, Key: st.Name, Stage: st, Fields: fs})
		}
	}

	// Deployment: an auto-deploying stage never needs one; a manual stage
	// needs one when anything changed or its deployment serves another auth
	// surface than the description.
	if res.Stage != "" && !res.AutoDeploy {
		live := have.Stages[res.Stage]
		changed := false
		for _, c := range res.Changes {
			if c.Kind != KindHTTPStage {
				changed = true
			}
		}
		switch {
		case changed || live == nil || live.DeploymentID == "":
			res.Undeployed = true
		case live.Deployed != nil:
			for _, r := range want.Routes {
				if live.Deployed.Auth[r.Key] != wantAuth(r) {
					res.Undeployed = true
				}
			}
		}
		if res.Undeployed {
			res.Changes = append(res.Changes, HTTPChange{Action: Create, Kind: KindDeployment, Address: "deployment." + res.Stage, Key: res.Stage})
		}
	}
	return res
}

func sameVars(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func varsString(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
