package oasspec

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v4"

	"github.com/portcullis-dev/portcullis/internal/fastpath"
	"github.com/portcullis-dev/portcullis/internal/fastyaml"
	"github.com/portcullis-dev/portcullis/internal/safefile"
	"github.com/portcullis-dev/portcullis/spec"
)

// Options tune Read.
type Options struct {
	// AllowExternalRefs lets $refs read local files under the document's
	// folder; URLs are refused either way.
	AllowExternalRefs bool
	// MaxFileBytes bounds each referenced file, as the main document is
	// bounded (DefaultMaxFileBytes when 0).
	MaxFileBytes int64
	// MaxRefBytes bounds all referenced files together, so a graph of
	// many files, or one file reached by many spellings, cannot add up to
	// more (DefaultMaxRefBytes when 0).
	MaxRefBytes int64
}

// Defaults for Options' limits: the main document's limit (spec/load), and
// twice that for the whole reference graph.
const (
	DefaultMaxFileBytes = 10 << 20
	DefaultMaxRefBytes  = 2 * DefaultMaxFileBytes
)

// verbs in the order API Gateway lists them.
var verbs = []string{"get", "put", "post", "delete", "options", "head", "patch"}

var lineColRe = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

var executeAPIHost = regexp.MustCompile(`^(?:([a-z0-9]{10})|\{[^}]*\})\.execute-api\.([a-z0-9-]+)\.amazonaws\.com`)

// Read decodes one OpenAPI 3.0 or Swagger 2.0 document, JSON or YAML. The
// model's strings may share src's bytes (fastyaml reads values as
// substrings of the source), and src is the description's Files entry:
// neither may change afterwards.
func Read(name string, src []byte, opts Options) (*spec.Description, spec.Diagnostics) {
	d := &spec.Description{Files: map[string][]byte{name: src}}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		// A .json file is JSON: YAML's reading would let a trailing
		// comma pass and report broken JSON past the end of the file.
		if diag, ok := strictJSON(name, src); !ok {
			return d, spec.Diagnostics{diag}
		}
	}
	loc, err := newLocator(name, src)
	if err != nil {
		return d, spec.Diagnostics{syntaxError(name, err)}
	}
	if loc.root == nil || loc.root.Kind != fastyaml.MappingNode {
		return d, spec.Diagnostics{spec.Errorf("parse-error", loc.rng(), "Not an OpenAPI document",
			"The document must be a mapping with an openapi: 3.0.x or swagger: \"2.0\" key.")}
	}
	_, ov := loc.node("openapi")
	_, sv := loc.node("swagger")
	r := &reader{loc: loc, schemeBase: []string{"components", "securitySchemes"}}
	var doc *openapi3.T
	switch {
	case ov != nil:
		if !strings.HasPrefix(ov.Value, "3.0") {
			r.errorf("unsupported-openapi-version", loc.rng("openapi"), "Unsupported OpenAPI version",
				"API Gateway REST APIs import OpenAPI 3.0.x and Swagger 2.0; this document says openapi: %s.", ov.Value)
			return d, r.diags
		}
		doc, err = loadV3(name, loc, opts)
	case sv != nil:
		if sv.Value != "2.0" {
			r.errorf("unsupported-openapi-version", loc.rng("swagger"), "Unsupported Swagger version", "Only swagger: \"2.0\" is read; this document says %s.", sv.Value)
			return d, r.diags
		}
		r.swagger = true
		r.schemeBase = []string{"securityDefinitions"}
		doc, err = loadV2(src, loc)
	default:
		r.errorf("parse-error", loc.rng(), "Not an OpenAPI document", "The document has neither an openapi: 3.0.x nor a swagger: \"2.0\" key.")
		return d, r.diags
	}
	if err != nil {
		r.diags = append(r.diags, loadError(loc, err))
		return d, r.diags
	}
	if isHTTPAPI(doc) {
		if r.swagger {
			r.errorf("unsupported-openapi-version", loc.rng("swagger"), "HTTP APIs import OpenAPI 3.0 only",
				"This Swagger 2.0 document describes an HTTP API (API Gateway v2), which API Gateway imports from OpenAPI 3.0 only: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html")
			return d, r.diags
		}
		d.HTTPAPIs = []*spec.HTTPAPI{r.decodeHTTP(doc)}
		return d, r.diags
	}
	a := r.decode(doc)
	d.APIs = []*spec.API{a}
	return d, r.diags
}

// strictJSON checks src as JSON and, when it is not, says where.
func strictJSON(name string, src []byte) (spec.Diagnostic, bool) {
	if json.Valid(src) {
		return spec.Diagnostic{}, true
	}
	// Only a broken document pays for the decoding that finds where.
	dec := json.NewDecoder(bytes.NewReader(src))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		off := dec.InputOffset()
		for off < int64(len(src)) && strings.IndexByte(" \t\r\n", src[off]) >= 0 {
			off++
		}
		if off < int64(len(src)) {
			return jsonError(name, src, off, "unexpected data after the top-level value"), false
		}
		return spec.Diagnostic{}, true
	}
	off := int64(len(src))
	msg := err.Error()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset - 1
		msg = se.Error()
	} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		msg = "unexpected end of the file: a bracket or brace is not closed"
	}
	return jsonError(name, src, off, msg), false
}

// jsonError is a syntax error at byte offset off of src.
func jsonError(name string, src []byte, off int64, msg string) spec.Diagnostic {
	off = max(0, min(off, int64(len(src))))
	line, col := 1, 1
	for _, b := range src[:off] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	p := hcl.Pos{Line: line, Column: col, Byte: int(off)}
	return spec.At(spec.SeverityError, "parse-error", hcl.Range{Filename: name, Start: p, End: p}, "Invalid JSON",
		msg+". A .json file is read as strict JSON (no trailing commas, no comments); name it .yaml to write YAML.")
}

func syntaxError(name string, err error) spec.Diagnostic {
	rng := hcl.Range{Filename: name, Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 1}}
	// yaml/v4 reports positions only in its message ("line 3: ...", or
	// "line 3, column 5: ...").
	if m := lineColRe.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		rng.Start.Line, rng.End.Line = n, n
		if m[2] != "" {
			c, _ := strconv.Atoi(m[2])
			rng.Start.Column, rng.End.Column = c, c
		}
	}
	return spec.At(spec.SeverityError, "parse-error", rng, "Invalid JSON or YAML", err.Error())
}

func loadError(loc *locator, err error) spec.Diagnostic {
	var ext *openapi3.DisallowedExternalRefError
	if errors.As(err, &ext) {
		return spec.At(spec.SeverityError, "external-ref", loc.rng(), "External reference refused",
			fmt.Sprintf("%s. Portcullis reads only the given document unless --allow-external-refs is set (local files under the document's folder; never URLs).", err))
	}
	if errors.Is(err, errRefRefused) {
		return spec.At(spec.SeverityError, "external-ref", loc.rng(), "External reference refused",
			fmt.Sprintf("%s. With --allow-external-refs Portcullis reads only regular files inside the document's folder (after resolving symlinks), each at most %d MiB and %d MiB together.",
				err, DefaultMaxFileBytes>>20, DefaultMaxRefBytes>>20))
	}
	return spec.At(spec.SeverityError, "parse-error", loc.rng(), "Invalid OpenAPI document", err.Error())
}

// errRefRefused marks a reference localOnly would not read.
var errRefRefused = errors.New("refused")

// loadV3 decodes the node tree the locator already parsed (parsing the
// bytes a second time doubled the cost of large documents) and then lets
// kin-openapi resolve references under its external-ref guard.
func loadV3(name string, loc *locator, opts Options) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = context.Background()
	loader.IsExternalRefsAllowed = opts.AllowExternalRefs
	if opts.AllowExternalRefs {
		base, err := filepath.Abs(filepath.Dir(name))
		if err != nil {
			return nil, err
		}
		loader.ReadFromURIFunc = localOnly(base, opts)
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	var doc openapi3.T
	var paths *openapi3.Paths
	root := loc.root
	if rest, pn := withoutPaths(root); rest != nil && fastpath.On(fastpath.OpenAPIPaths) {
		if p, ok := readPaths(root, pn); ok {
			root, paths = rest, p
		}
	}
	if err := loc.yamlOf(root).Decode(&doc); err != nil {
		return nil, err
	}
	if paths != nil {
		doc.Paths = paths
	}
	if err := loader.ResolveRefsIn(&doc, &url.URL{Path: filepath.ToSlash(abs)}); err != nil {
		return nil, err
	}
	return &doc, nil
}

// localOnly replaces kin-openapi's reader (which would fetch URLs) with one
// that reads regular files under base, after resolving symlinks, each and
// all together within the limits of opts, and nothing else.
func localOnly(base string, opts Options) openapi3.ReadFromURIFunc {
	perFile, budget := opts.MaxFileBytes, opts.MaxRefBytes
	if perFile <= 0 {
		perFile = DefaultMaxFileBytes
	}
	if budget <= 0 {
		budget = DefaultMaxRefBytes
	}
	total := budget
	var mu sync.Mutex
	return func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" && u.Scheme != "file" || u.Host != "" {
			return nil, fmt.Errorf("reference %s %w: only local files are read", u, errRefRefused)
		}
		p, err := filepath.Abs(filepath.FromSlash(u.Path))
		if err != nil {
			return nil, err
		}
		real, err := safefile.Under(base, p)
		if err != nil {
			return nil, fmt.Errorf("reference %s %w: %w", u.Path, errRefRefused, err)
		}
		mu.Lock()
		defer mu.Unlock()
		b, err := safefile.Read(real, min(perFile, budget))
		if err != nil {
			if budget < perFile {
				return nil, fmt.Errorf("reference %s %w: the referenced files together are limited to %d bytes: %w", u.Path, errRefRefused, total, err)
			}
			return nil, fmt.Errorf("reference %s %w: %w", u.Path, errRefRefused, err)
		}
		budget -= int64(len(b))
		return b, nil
	}
}

func loadV2(src []byte, loc *locator) (*openapi3.T, error) {
	// openapi2's types decode (and keep extensions) through JSON only, so
	// YAML goes through a generic value first. The paths, the bulk of a
	// large document, are read directly where they can be (see direct.go).
	var generic any
	var paths *openapi3.Paths
	if rest, pn := withoutPaths(loc.root); rest != nil && fastpath.On(fastpath.OpenAPIPaths) {
		if p, ok := readPathsV2(loc.root, pn); ok {
			paths = p
			if err := loc.yamlOf(rest).Decode(&generic); err != nil {
				return nil, err
			}
		}
	}
	if paths == nil {
		if err := yaml.Unmarshal(src, &generic); err != nil {
			return nil, err
		}
	}
	js, err := json.Marshal(generic)
	if err != nil {
		return nil, err
	}
	var v2 openapi2.T
	if err := json.Unmarshal(js, &v2); err != nil {
		return nil, err
	}
	doc, err := openapi2conv.ToV3(&v2)
	if err != nil {
		return nil, err
	}
	if paths != nil {
		doc.Paths = paths
	}
	return doc, nil
}

type reader struct {
	loc        *locator
	swagger    bool
	schemeBase []string
	diags      spec.Diagnostics
}

func (r *reader) errorf(code string, rng hcl.Range, summary, format string, args ...any) {
	r.diags = append(r.diags, spec.Errorf(code, rng, summary, format, args...))
}

func (r *reader) warnf(code string, rng hcl.Range, summary, format string, args ...any) {
	r.diags = append(r.diags, spec.Warnf(code, rng, summary, format, args...))
}

// scheme is a security scheme as API Gateway understands it.
type scheme struct {
	kind       string // "cognito", "jwt", "iam", "lambda", "apikey", "other"
	authorizer *spec.Authorizer
	jwt        *spec.JWTAuthorizer // kind "jwt" (HTTP APIs)
}

func (r *reader) decode(doc *openapi3.T) *spec.API {
	a := &spec.API{Range: r.loc.rng(), Ranges: spec.Ranges{}}
	if doc.Info != nil {
		a.Name = doc.Info.Title
		a.Description = doc.Info.Description
		a.Ranges["name"] = r.loc.rng("info", "title")
	}
	r.readServers(doc, a)
	if v, ok := stringExt(doc.Extensions, spec.ExtRegion); ok {
		a.Region, a.Ranges["region"] = v, r.loc.rng(spec.ExtRegion)
	}
	if v, ok := stringExt(doc.Extensions, spec.ExtRestAPIID); ok {
		a.RestAPIID, a.Ranges["rest_api_id"] = v, r.loc.rng(spec.ExtRestAPIID)
	}

	a.Suppressions = r.readIgnore(doc.Extensions, nil)
	schemes := r.readSchemes(doc)
	for _, name := range slices.Sorted(maps.Keys(schemes)) {
		if s := schemes[name]; s.authorizer != nil {
			a.Authorizers = append(a.Authorizers, s.authorizer)
		}
	}
	if v, ok := stringExt(doc.Extensions, spec.ExtDefaultAuthorizer); ok {
		a.DefaultAuthorizer, a.Ranges["default_authorizer"] = v, r.loc.rng(spec.ExtDefaultAuthorizer)
	}
	if len(doc.Security) > 0 {
		r.warnf("root-security-ignored", r.loc.keyRng("security"), "Root-level security is ignored by API Gateway",
			"API Gateway's importer ignores security at the root of the document, so operations without their own security are imported with no authorization (NONE). Repeat security on every operation that needs it; Portcullis reads the document as API Gateway would.")
	}

	var preflights []*preflight
	if doc.Paths != nil {
		var routes []*spec.Route
		// Map copies the paths: the document lets go of its own, so
		// that readPathsOf's copy is the items' last reference.
		paths := doc.Paths.Map()
		doc.Paths = nil
		routes, preflights = r.readPathsOf(paths, schemes, true)
		a.Routes = append(a.Routes, routes...)
	}
	r.readCORS(doc, a, preflights)
	r.readGatewayResponses(doc, a)
	r.readStages(doc, a)
	return a
}

// readPathsOf reads every path's operations, in path order, on every core:
// paths are independent, and a large API has thousands. Each share gets
// its own reader so findings keep the order one pass would give them.
// With drop, paths is emptied and each path item let go once read, so
// that the garbage collector can take the items (a kilobyte an operation)
// while the routes that replace them are built, rather than hold both.
func (r *reader) readPathsOf(paths map[string]*openapi3.PathItem, schemes map[string]*scheme, drop bool) ([]*spec.Route, []*preflight) {
	keys := slices.Sorted(maps.Keys(paths))
	items := make([]*openapi3.PathItem, len(keys))
	for i, k := range keys {
		items[i] = paths[k]
	}
	if drop {
		clear(paths)
	}
	shares := runtime.GOMAXPROCS(0)
	if len(keys) < 256 {
		shares = 1
	}
	type share struct {
		r          *reader
		routes     []*spec.Route
		preflights []*preflight
	}
	out := make([]share, shares)
	var wg sync.WaitGroup
	for s := range shares {
		sh := &out[s]
		sh.r = &reader{loc: r.loc, swagger: r.swagger, schemeBase: r.schemeBase}
		lo, hi := len(keys)*s/shares, len(keys)*(s+1)/shares
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				rts, pfs := sh.r.readOperations(keys[i], items[i], schemes)
				if drop {
					items[i] = nil
				}
				sh.routes = append(sh.routes, rts...)
				sh.preflights = append(sh.preflights, pfs...)
			}
		})
	}
	wg.Wait()
	var routes []*spec.Route
	var preflights []*preflight
	for _, sh := range out {
		r.diags = append(r.diags, sh.r.diags...)
		routes = append(routes, sh.routes...)
		preflights = append(preflights, sh.preflights...)
	}
	return routes, preflights
}

// readOperations reads one path's operations.
func (r *reader) readOperations(p string, item *openapi3.PathItem, schemes map[string]*scheme) (routes []*spec.Route, preflights []*preflight) {
	if item == nil {
		return nil, nil
	}
	ops := map[string]*openapi3.Operation{}
	for _, v := range verbs {
		if op := item.GetOperation(strings.ToUpper(v)); op != nil {
			ops[v] = op
		}
	}
	if raw, ok := item.Extensions[spec.ExtAnyMethod]; ok {
		var op openapi3.Operation
		if b, err := json.Marshal(raw); err == nil && json.Unmarshal(b, &op) == nil {
			ops[spec.ExtAnyMethod] = &op
		} else {
			r.errorf("invalid-operation", r.loc.rng("paths", p, spec.ExtAnyMethod), "Invalid ANY method", "%s is not an operation object.", spec.ExtAnyMethod)
		}
	}
	for _, v := range append(append([]string{}, verbs...), spec.ExtAnyMethod) {
		op := ops[v]
		if op == nil {
			continue
		}
		if pf := r.asPreflight(p, v, op); pf != nil {
			preflights = append(preflights, pf)
			continue
		}
		if rt := r.readRoute(p, v, op, item, schemes); rt != nil {
			routes = append(routes, rt)
		}
	}
	return routes, preflights
}

// readServers takes the region, API id and stage from an execute-api server
// URL, as GetExport writes it:
// https://{id}.execute-api.{region}.amazonaws.com/{basePath} with
// basePath's default the stage.
func (r *reader) readServers(doc *openapi3.T, a *spec.API) {
	for i, s := range doc.Servers {
		if s == nil {
			continue
		}
		u := s.URL
		vars := map[string]string{}
		for k, v := range s.Variables {
			if v != nil {
				vars[k] = v.Default
			}
		}
		host := strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
		if m := executeAPIHost.FindStringSubmatch(host); m != nil {
			if a.Region == "" {
				a.Region, a.Ranges["region"] = m[2], r.loc.rng("servers", strconv.Itoa(i), "url")
			}
			if a.RestAPIID == "" && m[1] != "" {
				a.RestAPIID, a.Ranges["rest_api_id"] = m[1], r.loc.rng("servers", strconv.Itoa(i), "url")
			}
			if stage := stageFromURL(host, vars); stage != "" && len(a.Stages) == 0 {
				a.Stages = append(a.Stages, &spec.Stage{Name: stage, Range: r.loc.rng("servers", strconv.Itoa(i), "url"), Ranges: spec.Ranges{}})
			}
		}
	}
}

func stageFromURL(host string, vars map[string]string) string {
	_, path, ok := strings.Cut(host, "/")
	if !ok {
		return ""
	}
	path = strings.Trim(path, "/")
	if strings.HasPrefix(path, "{") && strings.HasSuffix(path, "}") {
		path = vars[path[1:len(path)-1]]
	}
	path = strings.Trim(path, "/")
	if i := strings.IndexByte(path, '/'); i >= 0 {
		path = path[:i]
	}
	return path
}

func (r *reader) readSchemes(doc *openapi3.T) map[string]*scheme {
	out := map[string]*scheme{}
	if doc.Components == nil {
		return out
	}
	for name, ref := range doc.Components.SecuritySchemes {
		at := append(append([]string{}, r.schemeBase...), name)
		if ref == nil || ref.Value == nil {
			continue
		}
		ss := ref.Value
		authType, _ := stringExt(ss.Extensions, spec.ExtAuthType)
		authType = strings.ToLower(authType)
		raw, hasAuthorizer := ss.Extensions[spec.ExtAuthorizer]
		s := &scheme{kind: "other"}
		switch {
		case authType == "awssigv4":
			s.kind = "iam"
		case hasAuthorizer && authorizerType(raw) == "jwt":
			s.kind = "jwt"
			s.jwt = r.readJWT(name, ss, raw, at)
			s.jwt.Suppressions = r.readIgnore(ss.Extensions, at)
		case authType == "cognito_user_pools" || (hasAuthorizer && authorizerType(raw) == "cognito_user_pools"):
			s.kind = "cognito"
			s.authorizer = r.readCognito(name, ss, raw, at)
		case hasAuthorizer:
			s.kind = "lambda"
			t := strings.ToUpper(authorizerType(raw))
			if t != spec.AuthorizerToken && t != spec.AuthorizerRequest {
				t = spec.AuthorizerToken
			}
			s.authorizer = &spec.Authorizer{Name: name, Type: t, IdentitySource: "method.request.header." + ss.Name,
				TTLSeconds: spec.DefaultTTLSeconds, Range: r.loc.keyRng(at...), Ranges: spec.Ranges{}}
			if m, ok := raw.(map[string]any); ok {
				if v, ok := m["identitySource"].(string); ok {
					s.authorizer.IdentitySource = v
				}
				if ttl, ok := intValue(m["authorizerResultTtlInSeconds"]); ok {
					s.authorizer.TTLSeconds = ttl
				}
				if v, ok := m["identityValidationExpression"].(string); ok {
					s.authorizer.ValidationExpression = v
				}
			}
		case ss.Type == "apiKey":
			s.kind = "apikey"
		}
		if s.authorizer != nil {
			s.authorizer.Suppressions = r.readIgnore(ss.Extensions, at)
		}
		out[name] = s
	}
	return out
}

func authorizerType(raw any) string {
	if m, ok := raw.(map[string]any); ok {
		if t, ok := m["type"].(string); ok {
			return strings.ToLower(t)
		}
	}
	return ""
}

func (r *reader) readCognito(name string, ss *openapi3.SecurityScheme, raw any, at []string) *spec.Authorizer {
	az := &spec.Authorizer{
		Name: name, Type: spec.AuthorizerCognito, IdentitySource: spec.DefaultIdentitySource,
		TTLSeconds: spec.DefaultTTLSeconds, Range: r.loc.keyRng(at...), Ranges: spec.Ranges{"name": r.loc.keyRng(at...)},
	}
	ext := append(append([]string{}, at...), spec.ExtAuthorizer)
	if ss.Type != "apiKey" {
		r.errorf("invalid-security-scheme", r.loc.rng(append(append([]string{}, at...), "type")...), "Cognito scheme must be apiKey",
			"API Gateway accepts Cognito user pool authorizers only as type: apiKey security schemes (in: header); %q has type %q.", name, ss.Type)
	}
	if ss.Name != "" {
		az.IdentitySource = "method.request.header." + ss.Name
		az.Ranges["identity_source"] = r.loc.rng(append(append([]string{}, at...), "name")...)
	}
	m, ok := raw.(map[string]any)
	if !ok {
		r.errorf("invalid-security-scheme", r.loc.rng(at...), "Cognito scheme without an authorizer",
			"%q needs %s with type cognito_user_pools and providerARNs.", name, spec.ExtAuthorizer)
		return az
	}
	if arns, ok := m["providerARNs"]; ok {
		az.Ranges["user_pool_arns"] = r.loc.rng(append(ext, "providerARNs")...)
		list, ok := arns.([]any)
		if !ok {
			r.errorf("invalid-security-scheme", az.Ranges["user_pool_arns"], "Invalid providerARNs", "providerARNs must be a list of user pool ARNs.")
		}
		for i, x := range list {
			az.Ranges[fmt.Sprintf("user_pool_arns.%d", i)] = r.loc.rng(append(ext, "providerARNs", strconv.Itoa(i))...)
			s, ok := x.(string)
			if !ok {
				r.errorf("invalid-security-scheme", az.Ranges["user_pool_arns"], "Invalid providerARNs", "providerARNs must hold strings.")
				continue
			}
			az.UserPoolARNs = append(az.UserPoolARNs, s)
		}
	}
	if v, ok := m["identitySource"].(string); ok {
		az.IdentitySource = v
		az.Ranges["identity_source"] = r.loc.rng(append(ext, "identitySource")...)
	}
	if v, ok := m["identityValidationExpression"].(string); ok {
		az.ValidationExpression = v
		az.Ranges["validation_expression"] = r.loc.rng(append(ext, "identityValidationExpression")...)
	}
	if v, present := m["authorizerResultTtlInSeconds"]; present {
		az.Ranges["ttl_seconds"] = r.loc.rng(append(ext, "authorizerResultTtlInSeconds")...)
		if ttl, ok := intValue(v); ok {
			az.TTLSeconds = ttl
		} else {
			r.errorf("invalid-security-scheme", az.Ranges["ttl_seconds"], "Invalid authorizerResultTtlInSeconds", "authorizerResultTtlInSeconds must be a whole number of seconds.")
		}
	}
	return az
}

func (r *reader) readIgnore(ext map[string]any, at []string) []spec.Suppression {
	raw, ok := ext[spec.ExtIgnore]
	if !ok {
		return nil
	}
	rng := r.loc.rng(append(append([]string{}, at...), spec.ExtIgnore)...)
	list, ok := raw.([]any)
	if !ok {
		r.errorf("invalid-extension", rng, "Invalid "+spec.ExtIgnore, "%s must be a list of {rule, reason} objects or rule IDs.", spec.ExtIgnore)
		return nil
	}
	var out []spec.Suppression
	for _, x := range list {
		switch v := x.(type) {
		case string:
			out = append(out, spec.Suppression{Rule: v, Range: rng})
		case map[string]any:
			rule, _ := v["rule"].(string)
			reason, _ := v["reason"].(string)
			out = append(out, spec.Suppression{Rule: rule, Reason: reason, Range: rng})
		default:
			r.errorf("invalid-extension", rng, "Invalid "+spec.ExtIgnore, "%s entries are rule IDs or {rule, reason} objects.", spec.ExtIgnore)
		}
	}
	return out
}

func (r *reader) opPath(p, verb string) []string { return []string{"paths", p, verb} }

func methodOf(verb string) string {
	if verb == spec.ExtAnyMethod {
		return "ANY"
	}
	return strings.ToUpper(verb)
}

func (r *reader) readRoute(p, verb string, op *openapi3.Operation, item *openapi3.PathItem, schemes map[string]*scheme) *spec.Route {
	at := r.opPath(p, verb)
	key := r.loc.keyRng(at...)
	rt := &spec.Route{Method: methodOf(verb), Path: p, Range: key, Ranges: spec.Ranges{"key": key}, OperationName: op.OperationID}
	if op.Security != nil {
		secAt := append(append([]string{}, at...), "security")
		rt.Ranges["authorizer"] = r.loc.rng(secAt...)
		reqs := *op.Security
		// An API key next to an authorizer is apiKeyRequired, not a second
		// authorizer; only authorizers count here.
		authorizers := 0
		if len(reqs) > 0 {
			for name := range reqs[0] {
				if s, ok := schemes[name]; !ok || (s.kind != "apikey" && s.kind != "other") {
					authorizers++
				}
			}
		}
		if len(reqs) > 1 || authorizers > 1 {
			r.errorf("unsupported-security", r.loc.rng(secAt...), "Several security requirements",
				"API Gateway applies one authorizer per method; %s %s lists several. Keep one.", rt.Method, p)
		}
		for _, req := range reqs {
			for _, name := range slices.Sorted(maps.Keys(req)) {
				scopes := req[name]
				s, ok := schemes[name]
				if !ok {
					at := r.loc.rng(append(secAt, "0", name)...)
					r.errorf("unknown-authorizer", at, "Reference to undeclared security scheme",
						"%s %s uses security scheme %q, which %s does not define.", rt.Method, p, name, strings.Join(r.schemeBase, "."))
					// The operation meant to be protected: keep it so, so
					// that validation and the policies judge the rest of the
					// document in the same run without calling it open.
					rt.AuthType, rt.Authorizer = spec.AuthCognito, name
					rt.Ranges["authorizer"] = at
					break
				}
				switch s.kind {
				case "cognito":
					rt.AuthType, rt.Authorizer = spec.AuthCognito, name
				case "jwt":
					rt.AuthType, rt.Authorizer = spec.AuthJWT, name
				case "lambda":
					rt.AuthType, rt.Authorizer = spec.AuthCustom, name
				case "iam":
					rt.AuthType = spec.AuthIAM
				default:
					continue // an API key requirement is not authorization
				}
				if len(scopes) > 0 {
					rt.Scopes = append([]string{}, scopes...)
					rt.Ranges["scopes"] = r.loc.rng(append(secAt, "0", name)...)
				}
				break
			}
			break
		}
	}
	if v, ok := stringExt(op.Extensions, spec.ExtAuthTypeOverride); ok && rt.AuthType == "" {
		rt.AuthType = strings.ToUpper(v)
		rt.Ranges["auth_type"] = r.loc.rng(append(at, spec.ExtAuthTypeOverride)...)
	}
	if rt.AuthType == "" {
		rt.AuthType = spec.AuthNone
	}
	if v, ok := op.Extensions[spec.ExtPublic]; ok {
		b, isBool := v.(bool)
		rt.Public = b
		rt.Ranges["public"] = r.loc.rng(append(at, spec.ExtPublic)...)
		if !isBool {
			r.errorf("invalid-extension", rt.Ranges["public"], "Invalid "+spec.ExtPublic, "%s must be true or false.", spec.ExtPublic)
		}
	}
	if v, ok := stringExt(op.Extensions, spec.ExtPublicReason); ok {
		rt.Reason, rt.Ranges["reason"] = v, r.loc.rng(append(at, spec.ExtPublicReason)...)
	}
	rt.ParamExamples = r.readExamples(op, item, at)
	rt.Suppressions = r.readIgnore(op.Extensions, at)
	if raw, ok := op.Extensions[spec.ExtIntegration]; ok {
		if gen, _ := op.Extensions[spec.ExtGeneratedIntegration].(bool); !gen {
			rt.Integration = r.readIntegration(raw, append(at, spec.ExtIntegration))
		}
	}
	return rt
}

func (r *reader) readExamples(op *openapi3.Operation, item *openapi3.PathItem, at []string) map[string]string {
	out := map[string]string{}
	for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, pr := range params {
			if pr == nil || pr.Value == nil || pr.Value.In != "path" || pr.Value.Example == nil {
				continue
			}
			out[pr.Value.Name] = fmt.Sprint(pr.Value.Example)
		}
	}
	if raw, ok := op.Extensions[spec.ExtExamples]; ok {
		m, ok := raw.(map[string]any)
		if !ok {
			r.errorf("invalid-extension", r.loc.rng(append(at, spec.ExtExamples)...), "Invalid "+spec.ExtExamples, "%s must map parameter names to example values.", spec.ExtExamples)
		}
		for k, v := range m {
			out[k] = fmt.Sprint(v)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (r *reader) readIntegration(raw any, at []string) *spec.Integration {
	in := &spec.Integration{Range: r.loc.keyRng(at...)}
	m, ok := raw.(map[string]any)
	if !ok {
		r.errorf("invalid-integration", in.Range, "Invalid integration", "%s must be an object.", spec.ExtIntegration)
		return in
	}
	in.Type = strings.ToUpper(str(m["type"]))
	in.URI = str(m["uri"])
	in.HTTPMethod = strings.ToUpper(str(m["httpMethod"]))
	in.PassthroughBehavior = strings.ToUpper(str(m["passthroughBehavior"]))
	in.RequestTemplates = strMap(m["requestTemplates"])
	in.RequestParameters = strMap(m["requestParameters"])
	if v, set := m["timeoutInMillis"]; set {
		// A number or a string of one ("29000"), as the local gateway's
		// ImportApi takes it too; anything else is an error, not the default.
		if t, ok := intValue(v); ok {
			in.TimeoutMillis = t
		} else {
			r.errorf("invalid-integration", r.loc.rng(slices.Concat(at, []string{"timeoutInMillis"})...), "Invalid integration timeout",
				"timeoutInMillis must be a whole number of milliseconds; got %v.", v)
		}
	}
	if resp, ok := m["responses"].(map[string]any); ok {
		for _, pat := range slices.Sorted(maps.Keys(resp)) {
			rm, _ := resp[pat].(map[string]any)
			in.Responses = append(in.Responses, spec.IntegrationResponse{
				Pattern: pat, StatusCode: str(rm["statusCode"]),
				ResponseParameters: strMap(rm["responseParameters"]), ResponseTemplates: strMap(rm["responseTemplates"]),
			})
		}
	}
	return in
}

// preflight is an OPTIONS mock that answers CORS preflights.
type preflight struct {
	path    string
	origin  string
	headers []string
	methods []string
	creds   bool
	maxAge  int
	expose  []string
	rng     hcl.Range
}

// asPreflight recognizes the unauthenticated OPTIONS MOCK that CORS needs;
// those become the model's CORS setting rather than routes. An OPTIONS
// method with an authorizer stays a route, so policies can flag it.
func (r *reader) asPreflight(p, verb string, op *openapi3.Operation) *preflight {
	if verb != "options" || (op.Security != nil && len(*op.Security) > 0) || op.OperationID != "" {
		return nil
	}
	// An OPTIONS operation that says anything about itself (public,
	// examples, suppressions) is a described route, not CORS plumbing.
	for k := range op.Extensions {
		if strings.HasPrefix(k, "x-portcullis-") {
			return nil
		}
	}
	m, ok := op.Extensions[spec.ExtIntegration].(map[string]any)
	if !ok || !strings.EqualFold(str(m["type"]), "mock") {
		return nil
	}
	resp, _ := m["responses"].(map[string]any)
	var params map[string]string
	for _, k := range slices.Sorted(maps.Keys(resp)) {
		rm, _ := resp[k].(map[string]any)
		if ps := strMap(rm["responseParameters"]); ps["method.response.header.Access-Control-Allow-Origin"] != "" {
			params = ps
			break
		}
	}
	if params == nil {
		return nil
	}
	h := func(name string) string { return spec.Unquote(params["method.response.header."+name]) }
	pf := &preflight{path: p, origin: h("Access-Control-Allow-Origin"), rng: r.loc.keyRng(r.opPath(p, verb)...)}
	pf.headers = splitList(h("Access-Control-Allow-Headers"))
	pf.methods = splitList(h("Access-Control-Allow-Methods"))
	pf.expose = splitList(h("Access-Control-Expose-Headers"))
	pf.creds = h("Access-Control-Allow-Credentials") == "true"
	pf.maxAge, _ = strconv.Atoi(h("Access-Control-Max-Age"))
	return pf
}

func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (r *reader) readCORS(doc *openapi3.T, a *spec.API, pfs []*preflight) {
	if raw, ok := doc.Extensions[spec.ExtCORS]; ok {
		m, ok := raw.(map[string]any)
		rng := r.loc.keyRng(spec.ExtCORS)
		if !ok {
			r.errorf("invalid-extension", rng, "Invalid "+spec.ExtCORS, "%s must be an object.", spec.ExtCORS)
			return
		}
		c := &spec.CORS{Range: rng, Ranges: spec.Ranges{}}
		c.AllowOrigins = strList(m["allow_origins"])
		c.AllowMethods = strList(m["allow_methods"])
		c.AllowHeaders = strList(m["allow_headers"])
		c.ExposeHeaders = strList(m["expose_headers"])
		c.AllowCredentials, _ = m["allow_credentials"].(bool)
		c.MaxAgeSeconds, _ = intValue(m["max_age_seconds"])
		for _, k := range []string{"allow_origins", "allow_methods", "allow_headers", "expose_headers", "allow_credentials", "max_age_seconds"} {
			if _, ok := m[k]; ok {
				c.Ranges[k] = r.loc.rng(spec.ExtCORS, k)
			}
		}
		a.CORS = c
		return
	}
	if len(pfs) == 0 {
		return
	}
	// Infer the cors setting from the preflights: the origins they allow,
	// and the headers, unless they are the defaults.
	first := pfs[0]
	c := &spec.CORS{Range: first.rng, Ranges: spec.Ranges{"allow_origins": first.rng}, AllowCredentials: first.creds,
		MaxAgeSeconds: first.maxAge, ExposeHeaders: first.expose}
	origins := map[string]bool{}
	for _, pf := range pfs {
		if pf.origin != "" && !origins[pf.origin] {
			origins[pf.origin] = true
			c.AllowOrigins = append(c.AllowOrigins, pf.origin)
		}
	}
	sort.Strings(c.AllowOrigins)
	if !slices.Equal(first.headers, spec.DefaultCORSAllowHeaders) {
		c.AllowHeaders = first.headers
	}
	// Methods: empty in the model means "the path's own methods"; keep an
	// explicit list only when a preflight allows something else.
	for _, pf := range pfs {
		derived := append(a.MethodsOn(pf.path), "OPTIONS")
		if !sameSet(pf.methods, derived) {
			c.AllowMethods = pf.methods
			break
		}
	}
	a.CORS = c
}

func (r *reader) readGatewayResponses(doc *openapi3.T, a *spec.API) {
	raw, ok := doc.Extensions[spec.ExtGatewayResponses]
	if !ok {
		return
	}
	m, ok := raw.(map[string]any)
	if !ok {
		r.errorf("invalid-extension", r.loc.keyRng(spec.ExtGatewayResponses), "Invalid gateway responses", "%s must map response types to objects.", spec.ExtGatewayResponses)
		return
	}
	var derived map[string]*spec.GatewayResponse
	if a.CORS != nil {
		derived = map[string]*spec.GatewayResponse{}
		for _, g := range spec.CORSGatewayResponses(a.CORS) {
			derived[g.Type] = g
		}
	}
	for _, t := range slices.Sorted(maps.Keys(m)) {
		gm, _ := m[t].(map[string]any)
		g := &spec.GatewayResponse{Type: strings.ToUpper(t), Range: r.loc.keyRng(spec.ExtGatewayResponses, t),
			ResponseParameters: strMap(gm["responseParameters"]), ResponseTemplates: strMap(gm["responseTemplates"])}
		if sc, ok := gm["statusCode"]; ok {
			g.StatusCode = str(sc)
		}
		// A response identical to what the cors setting implies is the
		// cors setting's, as when the HCL form wrote it.
		if d, ok := derived[g.Type]; ok && g.StatusCode == "" && len(g.ResponseTemplates) == 0 && maps.Equal(g.ResponseParameters, d.ResponseParameters) {
			g.FromCORS = true
		}
		a.GatewayResponses = append(a.GatewayResponses, g)
	}
}

func (r *reader) readStages(doc *openapi3.T, a *spec.API) {
	raw, ok := doc.Extensions[spec.ExtStages]
	if !ok {
		return
	}
	list, ok := raw.([]any)
	if !ok {
		r.errorf("invalid-extension", r.loc.keyRng(spec.ExtStages), "Invalid "+spec.ExtStages, "%s must be a list of {name, description, variables}.", spec.ExtStages)
		return
	}
	a.Stages = nil
	for i, x := range list {
		m, _ := x.(map[string]any)
		s := &spec.Stage{Name: str(m["name"]), Description: str(m["description"]), Variables: strMap(m["variables"]),
			Range: r.loc.rng(spec.ExtStages, strconv.Itoa(i)), Ranges: spec.Ranges{}}
		s.Ranges["name"] = r.loc.rng(spec.ExtStages, strconv.Itoa(i), "name")
		a.Stages = append(a.Stages, s)
	}
}

func stringExt(ext map[string]any, key string) (string, bool) {
	v, ok := ext[key].(string)
	return v, ok
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	default:
		return fmt.Sprint(x)
	}
}

func intValue(v any) (int, bool) {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) {
			return int(x), true
		}
	case int:
		return x, true
	case int64:
		return int(x), true
	case uint64:
		return int(x), true
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

func strMap(v any) map[string]string {
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, x := range m {
		out[k] = str(x)
	}
	return out
}

func strList(v any) []string {
	l, ok := v.([]any)
	if !ok {
		return nil
	}
	out := make([]string, 0, len(l))
	for _, x := range l {
		out = append(out, str(x))
	}
	return out
}

func sameSet(a, b []string) bool {
	x := append([]string{}, a...)
	y := append([]string{}, b...)
	sort.Strings(x)
	sort.Strings(y)
	return slices.Equal(x, y)
}
