package equivalence

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// Surface is the auth surface of one API: what decides who gets through.
type Surface struct {
	Methods          []Method          `json:"methods"`
	GatewayResponses []GatewayResponse `json:"gateway_responses"`
	// CORS is an HTTP API's corsConfiguration, which decides whether the
	// gateway answers preflights before any authorizer (nil for REST APIs
	// and for HTTP APIs without one).
	CORS *CORS `json:"cors,omitempty"`
}

// CORS is an HTTP API's CORS configuration, lists sorted.
type CORS struct {
	AllowOrigins     []string `json:"allow_origins"`
	AllowMethods     []string `json:"allow_methods,omitempty"`
	AllowHeaders     []string `json:"allow_headers,omitempty"`
	ExposeHeaders    []string `json:"expose_headers,omitempty"`
	AllowCredentials bool     `json:"allow_credentials,omitempty"`
	MaxAge           int      `json:"max_age,omitempty"`
}

func (c *CORS) String() string {
	if c == nil {
		return "none"
	}
	return fmt.Sprintf("origins=%v methods=%v headers=%v expose=%v credentials=%v max_age=%d",
		c.AllowOrigins, c.AllowMethods, c.AllowHeaders, c.ExposeHeaders, c.AllowCredentials, c.MaxAge)
}

// Method is one method's authorization.
type Method struct {
	Verb       string      `json:"verb"`
	Path       string      `json:"path"`
	AuthType   string      `json:"auth_type"`
	Authorizer *Authorizer `json:"authorizer,omitempty"`
	Scopes     []string    `json:"scopes,omitempty"` // sorted
}

// Key is "GET /items", or an HTTP API's "$default" (Verb "$default", no Path).
func (m Method) Key() string {
	if m.Path == "" {
		return m.Verb
	}
	return m.Verb + " " + m.Path
}

// Authorizer is what an authorizer checks. Its name is left out: two tools
// may name the same authorizer differently and still check the same thing.
type Authorizer struct {
	Type                 string   `json:"type"`
	Pools                []string `json:"pools"` // sorted
	IdentitySource       string   `json:"identity_source"`
	TTLSeconds           int      `json:"ttl_seconds"`
	ValidationExpression string   `json:"validation_expression,omitempty"`
	// An HTTP API JWT authorizer's issuer and audiences (sorted).
	Issuer    string   `json:"issuer,omitempty"`
	Audiences []string `json:"audiences,omitempty"`
}

func (a *Authorizer) String() string {
	if a == nil {
		return "none"
	}
	if a.Type == spec.AuthorizerJWT {
		return fmt.Sprintf("JWT issuer=%s audiences=[%s] identity=%s", a.Issuer, strings.Join(a.Audiences, ","), a.IdentitySource)
	}
	s := fmt.Sprintf("%s pools=[%s] identity=%s ttl=%d", a.Type, strings.Join(a.Pools, ","), a.IdentitySource, a.TTLSeconds)
	if a.ValidationExpression != "" {
		s += " aud~" + a.ValidationExpression
	}
	return s
}

// GatewayResponse is a gateway response's status and CORS headers (the
// parts that decide whether a browser sees a 401 as a 401).
type GatewayResponse struct {
	Type       string            `json:"type"`
	StatusCode string            `json:"status_code,omitempty"`
	Headers    map[string]string `json:"cors_headers,omitempty"` // Access-Control-* name -> mapped value
}

// FromModel is the surface the description itself gives.
func FromModel(a *spec.API) Surface {
	var s Surface
	for _, r := range a.Routes {
		m := Method{Verb: r.Method, Path: r.Path, AuthType: r.AuthType, Scopes: sorted(r.Scopes)}
		if r.AuthType == spec.AuthCognito || r.AuthType == spec.AuthCustom {
			if az := a.AuthorizerByName(r.Authorizer); az != nil {
				m.Authorizer = &Authorizer{
					Type: az.Type, Pools: sorted(az.UserPoolARNs), IdentitySource: az.IdentitySource,
					TTLSeconds: az.TTLSeconds, ValidationExpression: az.ValidationExpression,
				}
			}
		}
		s.Methods = append(s.Methods, m)
	}
	for _, g := range a.GatewayResponses {
		s.GatewayResponses = append(s.GatewayResponses, gatewayResponse(g.Type, g.StatusCode, g.ResponseParameters))
	}
	s.normalize()
	return s
}

// FromHTTPModel is the surface an HTTP API's description gives.
func FromHTTPModel(a *spec.HTTPAPI) Surface {
	var s Surface
	for _, r := range a.Routes {
		m := Method{Verb: r.Method, Path: r.Path, AuthType: r.AuthType, Scopes: sorted(r.Scopes)}
		if r.IsDefault() {
			m.Verb = spec.DefaultRouteKey
		}
		if az := a.AuthorizerByName(r.Authorizer); az != nil && r.AuthType != spec.AuthNone {
			m.Authorizer = &Authorizer{Type: az.Type, IdentitySource: strings.Join(az.IdentitySources, ","),
				Issuer: az.Issuer, Audiences: sorted(az.Audiences)}
		}
		s.Methods = append(s.Methods, m)
	}
	if c := a.CORS; c != nil {
		s.CORS = &CORS{AllowOrigins: c.AllowOrigins, AllowMethods: c.AllowMethods, AllowHeaders: c.AllowHeaders,
			ExposeHeaders: c.ExposeHeaders, AllowCredentials: c.AllowCredentials, MaxAge: c.MaxAgeSeconds}
	}
	s.normalize()
	return s
}

// gatewayResponse keeps the CORS headers of a response's parameters.
func gatewayResponse(typ, status string, params map[string]string) GatewayResponse {
	g := GatewayResponse{Type: strings.ToUpper(typ), StatusCode: status}
	for k, v := range params {
		h, ok := strings.CutPrefix(k, "gatewayresponse.header.")
		if !ok || !strings.HasPrefix(strings.ToLower(h), "access-control-") {
			continue
		}
		if g.Headers == nil {
			g.Headers = map[string]string{}
		}
		g.Headers[h] = v
	}
	return g
}

// normalize sorts methods and responses and fills API Gateway's defaults,
// so that surfaces compare with ==-like equality.
func (s *Surface) normalize() {
	for i := range s.Methods {
		m := &s.Methods[i]
		m.Verb = strings.ToUpper(m.Verb)
		if m.AuthType == "" {
			m.AuthType = spec.AuthNone
		}
		if len(m.Scopes) == 0 {
			m.Scopes = nil
		}
		m.Scopes = sorted(m.Scopes)
		if a := m.Authorizer; a != nil {
			a.Pools = sorted(a.Pools)
			a.Audiences = sorted(a.Audiences)
		}
	}
	if c := s.CORS; c != nil {
		c.AllowOrigins, c.AllowMethods = sorted(c.AllowOrigins), sorted(c.AllowMethods)
		c.AllowHeaders, c.ExposeHeaders = sorted(c.AllowHeaders), sorted(c.ExposeHeaders)
	}
	sort.SliceStable(s.Methods, func(i, j int) bool {
		if s.Methods[i].Path != s.Methods[j].Path {
			return s.Methods[i].Path < s.Methods[j].Path
		}
		return s.Methods[i].Verb < s.Methods[j].Verb
	})
	sort.SliceStable(s.GatewayResponses, func(i, j int) bool { return s.GatewayResponses[i].Type < s.GatewayResponses[j].Type })
}

func sorted(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

// Compare lists how got differs from want (the model's surface), one line
// per difference, in a stable order; nil means equivalent. An OPTIONS
// method want does not have is a preflight: it must be unauthenticated and
// is otherwise ignored.
func Compare(want, got Surface) []string {
	var out []string
	gm := map[string]Method{}
	for _, m := range got.Methods {
		if _, dup := gm[m.Key()]; dup {
			out = append(out, fmt.Sprintf("%s: defined twice", m.Key()))
		}
		gm[m.Key()] = m
	}
	wm := map[string]bool{}
	for _, w := range want.Methods {
		wm[w.Key()] = true
		g, ok := gm[w.Key()]
		if !ok {
			out = append(out, fmt.Sprintf("%s: missing", w.Key()))
			continue
		}
		if w.AuthType != g.AuthType {
			out = append(out, fmt.Sprintf("%s: authorization %s, want %s", w.Key(), g.AuthType, w.AuthType))
		}
		if w.Authorizer.String() != g.Authorizer.String() {
			out = append(out, fmt.Sprintf("%s: authorizer %s, want %s", w.Key(), g.Authorizer, w.Authorizer))
		}
		if strings.Join(w.Scopes, " ") != strings.Join(g.Scopes, " ") {
			out = append(out, fmt.Sprintf("%s: scopes [%s], want [%s]", w.Key(), strings.Join(g.Scopes, " "), strings.Join(w.Scopes, " ")))
		}
	}
	for _, g := range got.Methods {
		if wm[g.Key()] {
			continue
		}
		if g.Verb == "OPTIONS" {
			if g.AuthType != spec.AuthNone {
				out = append(out, fmt.Sprintf("%s: preflight requires %s; browsers send no token, so CORS fails", g.Key(), g.AuthType))
			}
			continue
		}
		out = append(out, fmt.Sprintf("%s: not in the description (authorization %s)", g.Key(), g.AuthType))
	}

	if want.CORS.String() != got.CORS.String() {
		out = append(out, fmt.Sprintf("CORS %s, want %s", got.CORS, want.CORS))
	}
	gr := map[string]GatewayResponse{}
	for _, g := range got.GatewayResponses {
		gr[g.Type] = g
	}
	wr := map[string]bool{}
	for _, w := range want.GatewayResponses {
		wr[w.Type] = true
		g, ok := gr[w.Type]
		if !ok {
			out = append(out, fmt.Sprintf("gateway response %s: missing", w.Type))
			continue
		}
		if w.StatusCode != g.StatusCode {
			out = append(out, fmt.Sprintf("gateway response %s: status %q, want %q", w.Type, g.StatusCode, w.StatusCode))
		}
		if a, b := headers(g.Headers), headers(w.Headers); a != b {
			out = append(out, fmt.Sprintf("gateway response %s: CORS headers %s, want %s", w.Type, a, b))
		}
	}
	for _, g := range got.GatewayResponses {
		if !wr[g.Type] {
			out = append(out, fmt.Sprintf("gateway response %s: not in the description", g.Type))
		}
	}
	return out
}

func headers(h map[string]string) string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+h[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
