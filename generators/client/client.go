package client

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
)

// The parts every module shares. types.ts goes verbatim into the .ts and
// the .d.ts; runtime.ts marks its type annotations «like this» so that one
// source gives both the TypeScript (marks dropped) and the JavaScript
// (marked text dropped); runtime.d.ts declares what runtime.ts exports.
var (
	//go:embed types.ts
	typesTS string
	//go:embed runtime.ts
	runtimeTS string
	//go:embed runtime.d.ts
	runtimeDTS string
)

type gen struct{}

// New returns the client generator.
func New() generators.Generator { return gen{} }

func (gen) Name() string { return "client" }
func (gen) Summary() string {
	return "browser client in TypeScript (and JavaScript with .d.ts): a function per route sending the token the route wants, typed 401/403/CORS results, Amplify v6 config"
}

// Generate writes NAME.client.ts, and js/NAME.client.js with
// js/NAME.client.d.ts, per API (REST and HTTP). The JavaScript sits in its
// own folder because TypeScript resolves ./NAME.client.js to a .ts beside
// it first.
func (g gen) Generate(d *spec.Description, opts generators.Options) ([]generators.File, error) {
	if _, err := generators.PickFormat(opts.Format, "typescript"); err != nil {
		return nil, err
	}
	var mods []*module
	for _, a := range d.APIs {
		m, err := restModule(a, opts)
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	for _, a := range d.HTTPAPIs {
		m, err := httpModule(a, opts)
		if err != nil {
			return nil, err
		}
		mods = append(mods, m)
	}
	var out []generators.File
	for _, m := range mods {
		base := generators.FileName(m.name) + ".client"
		out = append(out,
			generators.File{Path: base + ".ts", Content: m.render(modeTS)},
			generators.File{Path: "js/" + base + ".d.ts", Content: m.render(modeDTS)},
			generators.File{Path: "js/" + base + ".js", Content: m.render(modeJS)},
		)
	}
	return out, nil
}

type mode int

const (
	modeTS mode = iota
	modeJS
	modeDTS
)

// TokenFor is the token a REST API route wants in its identity header, the
// choice the whole client exists for: a Cognito authorizer treats a method
// without scopes as wanting the ID token and one with scopes as wanting an
// access token carrying one of them (docs/browser.md). Routes the client
// cannot authorize (IAM, Lambda authorizers) get none.
func TokenFor(r *spec.Route) string {
	switch {
	case r.AuthType != spec.AuthCognito:
		return "none"
	case len(r.Scopes) > 0:
		return "access"
	default:
		return "id"
	}
}

// HTTPTokenFor is the token an HTTP API route wants. A JWT authorizer
// admits either Cognito token when the route has no scopes (it checks aud,
// or client_id when there is no aud, against its audiences), and only an
// access token when it has scopes (only access tokens carry scope); the
// access token is the one meant for APIs, so it is sent in both cases.
func HTTPTokenFor(r *spec.HTTPRoute) string {
	if r.AuthType != spec.AuthJWT {
		return "none"
	}
	return "access"
}

// route is one function of the module, whatever the API's kind.
type route struct {
	fn      string
	method  string // "ANY" takes the method from the call
	path    string
	key     string // as the description writes it
	token   string
	header  string
	scopes  []string
	params  []string
	public  bool
	auth    string // the authorization type, for the doc comment
	reason  string
	opName  string
	anyPath bool // the $default route: every path
}

type module struct {
	name, region, id string
	source           string
	stages           []string
	deflt            string
	poolID           string
	routes           []route
	names            map[string]bool // function names taken
	comments         []string
}

func restModule(a *spec.API, opts generators.Options) (*module, error) {
	st, err := restapi.PickStage(a, opts.Stage)
	if err != nil {
		return nil, err
	}
	m := &module{name: a.Name, region: a.Region, id: a.RestAPIID, source: opts.Source, deflt: restapi.StageName(st)}
	for _, s := range a.Stages {
		m.stages = append(m.stages, s.Name)
	}
	var pools []string
	for _, r := range a.Routes {
		if az := a.AuthorizerByName(r.Authorizer); az != nil && r.AuthType == spec.AuthCognito {
			for _, arn := range az.UserPoolARNs {
				if p, err := spec.ParsePoolARN(arn); err == nil {
					pools = append(pools, p.PoolID)
				}
			}
		}
	}
	m.setPool(pools)
	for _, r := range a.Routes {
		rt := route{method: r.Method, path: r.Path, key: r.Key(), token: TokenFor(r), header: "Authorization", scopes: r.Scopes,
			params: spec.PathParams(r.Path), public: r.AuthType == spec.AuthNone, auth: r.AuthType, reason: r.Reason, opName: r.OperationName}
		if az := a.AuthorizerByName(r.Authorizer); az != nil && az.IdentityHeader() != "" {
			rt.header = az.IdentityHeader()
		}
		m.add(rt)
	}
	m.finish()
	return m, nil
}

func httpModule(a *spec.HTTPAPI, opts generators.Options) (*module, error) {
	m := &module{name: a.Name, region: a.Region, id: a.APIID, source: opts.Source}
	for _, s := range a.Stages {
		m.stages = append(m.stages, s.Name)
	}
	switch {
	case opts.Stage != "" && a.Stage(opts.Stage) == nil:
		return nil, fmt.Errorf("http_api %q has no stage %q (it has %s)", a.Name, opts.Stage, strings.Join(m.stages, ", "))
	case opts.Stage != "":
		m.deflt = opts.Stage
	case len(m.stages) > 0:
		m.deflt = m.stages[0]
	default:
		m.deflt = spec.DefaultStageName
	}
	var pools []string
	for _, r := range a.Routes {
		if az := a.AuthorizerByName(r.Authorizer); az != nil && r.AuthType == spec.AuthJWT {
			if _, id, ok := az.CognitoPool(); ok {
				pools = append(pools, id)
			}
		}
	}
	m.setPool(pools)
	for _, r := range a.Routes {
		rt := route{method: r.Method, path: r.Path, key: r.Key, token: HTTPTokenFor(r), header: "Authorization", scopes: r.Scopes,
			params: spec.PathParams(r.Path), public: r.AuthType == spec.AuthNone, auth: r.AuthType, reason: r.Reason, opName: r.OperationName}
		if r.IsDefault() {
			rt.method, rt.path, rt.params, rt.anyPath = "ANY", "/{path+}", []string{"path+"}, true
		}
		if az := a.AuthorizerByName(r.Authorizer); az != nil && az.IdentityHeader() != "" {
			rt.header = az.IdentityHeader()
		}
		m.add(rt)
	}
	m.finish()
	return m, nil
}

// setPool picks the pool Amplify signs in to (it takes one): the first a
// route's authorizer names. Other pools are listed for the reader.
func (m *module) setPool(pools []string) {
	var distinct []string
	seen := map[string]bool{}
	for _, p := range pools {
		if !seen[p] {
			seen[p] = true
			distinct = append(distinct, p)
		}
	}
	if len(distinct) > 0 {
		m.poolID = distinct[0]
	}
	if len(distinct) > 1 {
		m.comments = append(m.comments, "Routes accept tokens of several pools ("+strings.Join(distinct, ", ")+"); amplifyConfig signs in to "+distinct[0]+".")
	}
}

func (m *module) add(rt route) {
	if m.names == nil {
		m.names = map[string]bool{}
	}
	base := funcName(rt)
	rt.fn = base
	for n := 2; m.names[rt.fn]; n++ {
		rt.fn = fmt.Sprintf("%s%d", base, n)
	}
	m.names[rt.fn] = true
	m.routes = append(m.routes, rt)
}

func (m *module) finish() {
	if len(m.stages) == 0 {
		m.stages = []string{m.deflt}
	}
}

// funcName is the operation name when it is an identifier, else the verb
// and the path: GET /items/{id} is getItemsById.
func funcName(r route) string {
	if isIdent(r.opName) {
		return r.opName
	}
	if r.anyPath {
		return "defaultRoute"
	}
	var b strings.Builder
	b.WriteString(strings.ToLower(r.method))
	for _, seg := range strings.Split(r.path, "/") {
		by := strings.HasPrefix(seg, "{")
		if by {
			b.WriteString("By")
		}
		for _, word := range strings.FieldsFunc(seg, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) }) {
			rs := []rune(word)
			b.WriteString(strings.ToUpper(string(rs[0])) + string(rs[1:]))
		}
	}
	return b.String()
}

func isIdent(s string) bool {
	for i, c := range s {
		if !(c == '_' || c == '$' || c < unicode.MaxASCII && unicode.IsLetter(c) || i > 0 && c < unicode.MaxASCII && unicode.IsDigit(c)) {
			return false
		}
	}
	return s != ""
}

// q is a JavaScript string literal: JSON's, with the two line separators
// JSON leaves raw escaped, so no description can end a literal or a line.
func q(s string) string {
	b, _ := json.Marshal(s)
	return separators.Replace(string(b))
}

var (
	separators = strings.NewReplacer("\u2028", `\u2028`, "\u2029", `\u2029`)
	defuse     = strings.NewReplacer("\n", " ", "\r", " ", "\u2028", " ", "\u2029", " ", "*/", "* /")
)

// key is an object key: bare when an identifier, else quoted.
func key(s string) string {
	if isIdent(s) {
		return s
	}
	return q(s)
}

// comment makes s safe inside a // line comment or a /** */ block.
func comment(s string) string { return defuse.Replace(s) }

// strip drops «type annotations» for JavaScript, or only their marks.
func strip(src string, js bool) string {
	var b strings.Builder
	depth := 0
	for _, c := range src {
		switch {
		case c == '«':
			depth++
		case c == '»':
			depth--
		case depth == 0 || !js:
			b.WriteRune(c)
		}
	}
	return b.String()
}

type writer struct{ b strings.Builder }

func (w *writer) f(format string, args ...any) {
	fmt.Fprintf(&w.b, format, args...)
	w.b.WriteByte('\n')
}

func (m *module) render(md mode) []byte {
	w := &writer{}
	for _, l := range strings.Split(generators.Header(m.source, "client"), "\n") {
		w.f("// %s", comment(l))
	}
	w.f("//")
	w.f("// The browser client of API %s. Every function sends the token its route", comment(m.name))
	w.f("// wants: none for public routes, the ID token for Cognito routes without")
	w.f("// scopes, the access token for scoped routes. See docs/browser.md.")
	for _, c := range m.comments {
		w.f("// %s", comment(c))
	}
	w.f("")
	if md != modeJS {
		w.f("/** The stages described. */")
		var lits []string
		for _, s := range m.stages {
			lits = append(lits, q(s))
		}
		w.f("export type Stage = %s;", strings.Join(lits, " | "))
		w.f("")
		w.b.WriteString(typesTS)
		w.f("")
		m.clientInterface(w)
		w.f("")
	}
	m.constants(w, md)
	w.f("")
	switch md {
	case modeDTS:
		w.b.WriteString(runtimeDTS)
		w.f("/** A client of the API at options.baseURL. */")
		w.f("export declare function createClient(options: ClientOptions): Client;")
	default:
		w.b.WriteString(strip(runtimeTS, md == modeJS))
		w.f("")
		m.createClient(w, md)
	}
	return []byte(w.b.String())
}

func (m *module) constants(w *writer, md mode) {
	decl := func(name, typ, value string) {
		switch md {
		case modeDTS:
			w.f("export declare const %s: %s;", name, typ)
		case modeJS:
			w.f("export const %s = %s;", name, value)
		default:
			w.f("export const %s: %s = %s;", name, typ, value)
		}
	}
	id, idType := "undefined", "string | undefined"
	if m.id != "" {
		id = q(m.id)
	}
	pool, poolType := "undefined", "string | undefined"
	if m.poolID != "" {
		pool = q(m.poolID)
	}
	var lits []string
	for _, s := range m.stages {
		lits = append(lits, q(s))
	}
	decl("apiName", "string", q(m.name))
	decl("region", "string", q(m.region))
	w.f("/** The API's id when the description names it (rest_api_id, api_id); else pass it to stageURL. */")
	decl("restApiId", idType, id)
	w.f("/** The user pool amplifyConfig signs in to. */")
	decl("userPoolId", poolType, pool)
	decl("stages", "readonly Stage[]", "["+strings.Join(lits, ", ")+"]")
	decl("defaultStage", "Stage", q(m.deflt))
	w.f("/** Every route: method, path, the token it wants, the header it is read from, its scopes. */")
	var routes []string
	for _, rt := range m.routes {
		var scopes []string
		for _, s := range rt.scopes {
			scopes = append(scopes, q(s))
		}
		routes = append(routes, fmt.Sprintf("  %s: { method: %s, path: %s, token: %s, header: %s, scopes: [%s] },",
			key(rt.fn), q(rt.method), q(rt.path), q(rt.token), q(rt.header), strings.Join(scopes, ", ")))
	}
	decl("routes", "Readonly<Record<keyof Client, RouteInfo>>", "{\n"+strings.Join(routes, "\n")+"\n}")
}

// doc is the comment over a route's function: which token and why.
func (rt route) doc() string {
	s := rt.key + ": "
	switch {
	case rt.token == "access" && len(rt.scopes) > 0:
		s += "sends the access token; the route wants one of the scopes " + strings.Join(rt.scopes, ", ") + " (an ID token gets 401)."
	case rt.token == "access":
		s += "sends the access token (the JWT authorizer would admit the ID token too)."
	case rt.token == "id":
		s += "sends the ID token (no scopes: an access token gets 401)."
	case rt.public:
		s += "public, no token."
	default:
		s += "authorization " + rt.auth + " is not something this client can send; it sends no token."
	}
	if rt.anyPath {
		s += " Every path no other route matches; params.path is the path after the stage."
	}
	if rt.reason != "" {
		s += " " + rt.reason
	}
	return comment(s)
}

func (rt route) paramsType() string {
	var fields []string
	for _, p := range rt.params {
		fields = append(fields, key(strings.TrimSuffix(p, "+"))+": string")
	}
	return "{ " + strings.Join(fields, "; ") + " }"
}

func (m *module) clientInterface(w *writer) {
	w.f("/** One function per route. */")
	w.f("export interface Client {")
	for _, rt := range m.routes {
		w.f("  /** %s */", rt.doc())
		if len(rt.params) > 0 {
			w.f("  %s(params: %s, options?: CallOptions): Promise<Result>;", key(rt.fn), rt.paramsType())
		} else {
			w.f("  %s(options?: CallOptions): Promise<Result>;", key(rt.fn))
		}
	}
	w.f("}")
}

func (m *module) createClient(w *writer, md mode) {
	typ := func(s string) string {
		if md == modeJS {
			return ""
		}
		return s
	}
	w.f("/** A client of the API at options.baseURL. */")
	w.f("export function createClient(options%s)%s {", typ(": ClientOptions"), typ(": Client"))
	w.f("  return {")
	for _, rt := range m.routes {
		if len(rt.params) > 0 {
			w.f("    %s: (params, o) => call(options, routes[%s], params, o),", key(rt.fn), q(rt.fn))
		} else {
			w.f("    %s: (o) => call(options, routes[%s], {}, o),", key(rt.fn), q(rt.fn))
		}
	}
	w.f("  };")
	w.f("}")
}
