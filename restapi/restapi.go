package restapi

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/portcullis-dev/portcullis/spec"
)

// AllMethods are the verbs ANY stands for, in CORS header order.
var AllMethods = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}

// Resource is one API Gateway resource (one path segment).
type Resource struct {
	Path    string // "/items/{id}"
	Parent  string // "/items"; "/" for top-level resources
	Segment string // "{id}"
}

// Resources lists every resource the routes need, intermediates included,
// parents before children, without the root (which API Gateway creates).
func Resources(a *spec.API) []Resource {
	var out []Resource
	for _, p := range spec.ResourcePaths(a) {
		if p == "/" {
			continue
		}
		i := strings.LastIndex(p, "/")
		parent := p[:i]
		if parent == "" {
			parent = "/"
		}
		out = append(out, Resource{Path: p, Parent: parent, Segment: p[i+1:]})
	}
	return out
}

// Method is one method to write: a route from the model, or a CORS
// preflight the generators add.
type Method struct {
	Path string
	Verb string // GET, ..., ANY, OPTIONS
	// Route is the model's route; nil for a generated preflight.
	Route *spec.Route
	// Preflight is true for the generated unauthenticated OPTIONS mock.
	Preflight bool
	// AuthType is NONE for preflights, else the route's.
	AuthType string
	// Authorizer applies when AuthType is COGNITO_USER_POOLS or CUSTOM.
	Authorizer *spec.Authorizer
	Scopes     []string
	// Integration is the declared one, or a generated default.
	Integration *spec.Integration
	// DefaultIntegration is true when the route declared none and
	// Integration is the generated MOCK.
	DefaultIntegration bool
	// RequestParameters are method.request.* names -> required: the
	// identity header (required, so API Gateway rejects a missing token
	// before the authorizer runs) and the path parameters.
	RequestParameters map[string]bool
}

// Key is "GET /items".
func (m *Method) Key() string { return m.Verb + " " + m.Path }

// Methods lists every method in canonical order (path, then verb), with a
// CORS preflight on every path that has routes, unless the model already
// has an OPTIONS route there.
func Methods(a *spec.API) []Method {
	out := make([]Method, 0, len(a.Routes))
	authorizers := map[string]*spec.Authorizer{}
	for _, az := range a.Authorizers {
		authorizers[az.Name] = az
	}
	for _, r := range a.Routes {
		m := Method{Path: r.Path, Verb: r.Method, Route: r, AuthType: r.AuthType, Scopes: r.Scopes, Integration: r.Integration}
		if r.AuthType == spec.AuthCognito || r.AuthType == spec.AuthCustom {
			m.Authorizer = authorizers[r.Authorizer]
		}
		if m.Integration == nil {
			m.Integration = DefaultIntegration()
			m.DefaultIntegration = true
			// Not on an OPTIONS route: a MOCK OPTIONS with CORS headers
			// is what readers take for a generated preflight.
			if a.CORS != nil && r.Method != "OPTIONS" {
				withCORS(m.Integration, a.CORS)
			}
		}
		m.RequestParameters = pathParams(r.Path)
		if m.Authorizer != nil {
			if h := m.Authorizer.IdentityHeader(); h != "" {
				m.RequestParameters["method.request.header."+h] = true
			}
		}
		out = append(out, m)
	}
	if a.CORS != nil {
		// One pass over the routes: the model's per-path lookups would
		// make this quadratic, and APIs reach 10,000 routes.
		verbs := map[string][]string{}
		var paths []string
		for _, r := range a.Routes {
			if verbs[r.Path] == nil {
				paths = append(paths, r.Path)
			}
			verbs[r.Path] = append(verbs[r.Path], r.Method)
		}
		sort.Strings(paths)
		for _, p := range paths {
			vs := verbs[p]
			sort.Strings(vs)
			if i := sort.SearchStrings(vs, "OPTIONS"); i < len(vs) && vs[i] == "OPTIONS" {
				continue
			}
			out = append(out, Method{
				Path: p, Verb: "OPTIONS", Preflight: true, AuthType: spec.AuthNone,
				Integration: PreflightIntegration(a.CORS, vs), RequestParameters: pathParams(p),
			})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Path != out[j].Path {
			return out[i].Path < out[j].Path
		}
		return out[i].Verb < out[j].Verb
	})
	return out
}

func pathParams(path string) map[string]bool {
	m := map[string]bool{}
	for _, p := range spec.PathParams(path) {
		m["method.request.path."+p] = true
	}
	return m
}

// DefaultIntegrationNote explains the generated integration in outputs.
const DefaultIntegrationNote = "No integration is declared for this route: Portcullis generated a MOCK that answers 200, so the API imports and deploys; replace it with the real backend."

// DefaultIntegration is what a route without a declared integration gets:
// a MOCK answering 200 with an empty body. API Gateway refuses to deploy a
// method without an integration, and a MOCK reaches no backend.
func DefaultIntegration() *spec.Integration {
	return &spec.Integration{
		Type:                spec.IntegrationMock,
		PassthroughBehavior: "WHEN_NO_MATCH",
		RequestTemplates:    map[string]string{"application/json": `{"statusCode": 200}`},
		Responses:           []spec.IntegrationResponse{{Pattern: "default", StatusCode: "200"}},
	}
}

// withCORS makes a generated MOCK's answer readable by the browser pages
// CORS allows: a backend would add these headers itself, a MOCK cannot.
func withCORS(in *spec.Integration, c *spec.CORS) {
	r := &in.Responses[0]
	r.ResponseParameters = map[string]string{"method.response.header.Access-Control-Allow-Origin": spec.Quote(AllowOrigin(c))}
	if c.AllowCredentials {
		r.ResponseParameters["method.response.header.Access-Control-Allow-Credentials"] = spec.Quote("true")
	}
	if len(c.ExposeHeaders) > 0 {
		r.ResponseParameters["method.response.header.Access-Control-Expose-Headers"] = spec.Quote(strings.Join(c.ExposeHeaders, ","))
	}
	if t := OriginTemplate(c); t != "" {
		r.ResponseTemplates = map[string]string{"application/json": t}
	}
}

// PreflightHeaders are the CORS headers of a preflight answer (header ->
// unquoted value) for a path with the given methods.
func PreflightHeaders(c *spec.CORS, methods []string) map[string]string {
	h := map[string]string{
		"Access-Control-Allow-Origin":  AllowOrigin(c),
		"Access-Control-Allow-Methods": strings.Join(AllowMethods(c, methods), ","),
		"Access-Control-Allow-Headers": strings.Join(c.AllowHeadersOrDefault(), ","),
	}
	if c.AllowCredentials {
		h["Access-Control-Allow-Credentials"] = "true"
	}
	if c.MaxAgeSeconds > 0 {
		h["Access-Control-Max-Age"] = fmt.Sprint(c.MaxAgeSeconds)
	}
	return h
}

// AllowOrigin is the origin a static mapping answers with: the origin when
// one is allowed, "*" when any is; with several, the first, and
// OriginTemplate echoes the others (answering "*" would open CORS to every
// origin, and browsers refuse "*" with credentials).
func AllowOrigin(c *spec.CORS) string { return c.ResponseOrigin() }

// OriginTemplate is the preflight's response mapping template: empty for
// one origin; with several, VTL that echoes the request's Origin when it
// is allowed, through $context.responseOverride (a static mapping can name
// only one origin).
func OriginTemplate(c *spec.CORS) string {
	if len(c.AllowOrigins) < 2 || AllowOrigin(c) == "*" {
		return ""
	}
	var conds []string
	for _, o := range c.AllowOrigins {
		conds = append(conds, fmt.Sprintf("$origin == %q", o))
	}
	return "#set($origin = $input.params().header.get(\"Origin\"))\n" +
		"#if(" + strings.Join(conds, " || ") + ")\n" +
		"#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)\n" +
		"#end\n"
}

// AllowMethods is the configured list, or the path's methods (ANY expanded)
// plus OPTIONS, sorted and unique.
func AllowMethods(c *spec.CORS, methods []string) []string {
	src := c.AllowMethods
	if len(src) == 0 {
		src = methods
	}
	set := map[string]bool{"OPTIONS": true}
	for _, m := range src {
		if m == "ANY" {
			for _, x := range AllMethods {
				set[x] = true
			}
			continue
		}
		set[m] = true
	}
	out := make([]string, 0, len(set))
	for m := range set {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}

// PreflightIntegration is the MOCK integration that answers a preflight.
func PreflightIntegration(c *spec.CORS, methods []string) *spec.Integration {
	params := map[string]string{}
	for h, v := range PreflightHeaders(c, methods) {
		params["method.response.header."+h] = spec.Quote(v)
	}
	return &spec.Integration{
		Type:                spec.IntegrationMock,
		PassthroughBehavior: "WHEN_NO_MATCH",
		RequestTemplates:    map[string]string{"application/json": `{"statusCode": 200}`},
		Responses: []spec.IntegrationResponse{{
			Pattern: "default", StatusCode: "200", ResponseParameters: params,
			ResponseTemplates: map[string]string{"application/json": OriginTemplate(c)},
		}},
	}
}

// MethodResponse is a status code a method declares, with the headers its
// integration responses map (API Gateway refuses a mapping to an
// undeclared method response header).
type MethodResponse struct {
	StatusCode string
	Headers    []string // header names, sorted
}

// MethodResponses derives the method responses an integration needs.
func MethodResponses(in *spec.Integration) []MethodResponse {
	byCode := map[string]map[string]bool{}
	for _, r := range in.Responses {
		if byCode[r.StatusCode] == nil {
			byCode[r.StatusCode] = map[string]bool{}
		}
		for k := range r.ResponseParameters {
			if h, ok := strings.CutPrefix(k, "method.response.header."); ok {
				byCode[r.StatusCode][h] = true
			}
		}
	}
	var out []MethodResponse
	for code, hs := range byCode {
		mr := MethodResponse{StatusCode: code}
		for h := range hs {
			mr.Headers = append(mr.Headers, h)
		}
		sort.Strings(mr.Headers)
		out = append(out, mr)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StatusCode < out[j].StatusCode })
	return out
}

// SortedKeys returns the keys of m, sorted.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// SortedResponses returns integration responses ordered by pattern, with
// the default ("default" or "") first.
func SortedResponses(rs []spec.IntegrationResponse) []spec.IntegrationResponse {
	out := append([]spec.IntegrationResponse(nil), rs...)
	isDefault := func(p string) bool { return p == "" || p == "default" }
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := isDefault(out[i].Pattern), isDefault(out[j].Pattern)
		if di != dj {
			return di
		}
		return out[i].Pattern < out[j].Pattern
	})
	return out
}

// PickStage returns the stage named name, or the first stage when name is
// empty; nil when the API has no stages and none was asked for.
func PickStage(a *spec.API, name string) (*spec.Stage, error) {
	if name == "" {
		if len(a.Stages) == 0 {
			return nil, nil
		}
		return a.Stages[0], nil
	}
	if s := a.Stage(name); s != nil {
		return s, nil
	}
	var names []string
	for _, s := range a.Stages {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("api %q describes no stages, so --stage %q cannot be chosen", a.Name, name)
	}
	return nil, fmt.Errorf("api %q has no stage %q (it has %s)", a.Name, name, strings.Join(names, ", "))
}

// StageName is the stage to deploy: the chosen stage, else "default" (a
// deployment needs one).
func StageName(s *spec.Stage) string {
	if s == nil {
		return "default"
	}
	return s.Name
}

// AuthHash is a short hex digest of everything a deployment must follow:
// authorizers, every method's authorization, scopes, request parameters and
// integration, and the gateway responses. Any change gives a new hash, so a
// deployment keyed on it is recreated and the stage really redeploys.
func AuthHash(a *spec.API) string {
	type method struct {
		Key        string
		Auth       string
		Authorizer string
		Scopes     []string
		Params     []string
		Int        *spec.Integration
	}
	type authorizer struct {
		Name, Type, IdentitySource, ValidationExpression string
		Pools                                            []string
		TTL                                              int
	}
	var doc struct {
		Authorizers []authorizer
		Methods     []method
		Responses   []*spec.GatewayResponse
	}
	for _, az := range a.Authorizers {
		doc.Authorizers = append(doc.Authorizers, authorizer{az.Name, az.Type, az.IdentitySource, az.ValidationExpression, az.UserPoolARNs, az.TTLSeconds})
	}
	for _, m := range Methods(a) {
		x := method{Key: m.Key(), Auth: m.AuthType, Scopes: m.Scopes, Params: SortedKeys(m.RequestParameters), Int: m.Integration}
		if m.Authorizer != nil {
			x.Authorizer = m.Authorizer.Name
		}
		doc.Methods = append(doc.Methods, x)
	}
	for _, g := range a.GatewayResponses {
		c := *g
		c.Range = spec.Range{}
		doc.Responses = append(doc.Responses, &c)
	}
	// Ranges are excluded (they would change the hash when only a comment
	// moves); json.Marshal sorts map keys, so the encoding is canonical.
	for i := range doc.Methods {
		if in := doc.Methods[i].Int; in != nil {
			c := *in
			c.Range = spec.Range{}
			doc.Methods[i].Int = &c
		}
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err) // plain strings, ints and maps always encode
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Words splits a name into alphanumeric words: "user-profile" -> [user
// profile], "{proxy+}" -> [proxy].
func Words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
}

// Pascal joins words with each first letter upper-cased ("items-id" ->
// "ItemsId").
func Pascal(s string) string {
	var b strings.Builder
	for _, w := range Words(s) {
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

// PathPascal names a path for identifiers such as CloudFormation logical
// IDs: "/items/{id}" -> "ItemsIdVar", "/{proxy+}" -> "ProxyVarGreedy", "/"
// -> "Root".
func PathPascal(path string) string {
	if path == "/" {
		return "Root"
	}
	var b strings.Builder
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		b.WriteString(Pascal(seg))
		if strings.HasPrefix(seg, "{") {
			b.WriteString("Var")
			if strings.HasSuffix(seg, "+}") {
				b.WriteString("Greedy")
			}
		}
	}
	return b.String()
}

// PathSnake names a path for Terraform: "/items/{itemId}" ->
// "items_itemid_var", "/" -> "root".
func PathSnake(path string) string {
	if path == "/" {
		return "root"
	}
	var parts []string
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		for _, w := range Words(seg) {
			parts = append(parts, strings.ToLower(w))
		}
		if strings.HasPrefix(seg, "{") {
			parts = append(parts, "var")
			if strings.HasSuffix(seg, "+}") {
				parts = append(parts, "greedy")
			}
		}
	}
	return strings.Join(parts, "_")
}

// Unique gives every path a name from name(path), appending a short hash
// of the path when two paths would otherwise share one ("/a-b" and "/ab").
// Paths that do not collide keep their readable name, so adding a route
// does not rename others unless it collides with them.
func Unique(paths []string, name func(string) string, sep string) map[string]string {
	byName := map[string][]string{}
	for _, p := range paths {
		n := name(p)
		byName[n] = append(byName[n], p)
	}
	out := make(map[string]string, len(paths))
	for n, ps := range byName {
		for _, p := range ps {
			if len(ps) == 1 {
				out[p] = n
				continue
			}
			sum := sha256.Sum256([]byte(p))
			out[p] = n + sep + hex.EncodeToString(sum[:])[:8]
		}
	}
	return out
}
