package spec

// FormatVersion versions the JSON Document. Bump the minor version when
// fields are added, the major version when a field changes meaning or goes.
// 1.1 added http_apis.
const FormatVersion = "1.1"

// Document is the normalized model as JSON: what `portcullis show --format
// json` prints and what user policies receive as `input`. Lists and maps are
// never null (a Rego `count(x) == 0` on null silently misses), so build it
// with ToDocument only.
type Document struct {
	FormatVersion string `json:"format_version"`
	// APIs are the REST APIs (v1).
	APIs []DocAPI `json:"apis"`
	// HTTPAPIs are the HTTP APIs (v2), since 1.1.
	HTTPAPIs []DocHTTPAPI `json:"http_apis"`
}

// DocAPI is one API in a Document.
type DocAPI struct {
	Name              string               `json:"name"`
	Region            string               `json:"region"`
	RestAPIID         string               `json:"rest_api_id"`
	Description       string               `json:"description"`
	DefaultAuthorizer *string              `json:"default_authorizer"`
	Authorizers       []DocAuthorizer      `json:"authorizers"`
	Routes            []DocRoute           `json:"routes"`
	CORS              *DocCORS             `json:"cors"`
	GatewayResponses  []DocGatewayResponse `json:"gateway_responses"`
	Stages            []DocStage           `json:"stages"`
	Ignore            []DocSuppression     `json:"ignore"`
	Source            *DocSource           `json:"source,omitempty"`
}

// DocAuthorizer is one authorizer in a Document.
type DocAuthorizer struct {
	Name                 string           `json:"name"`
	Type                 string           `json:"type"`
	UserPoolARNs         []string         `json:"user_pool_arns"`
	IdentitySource       string           `json:"identity_source"`
	IdentityHeader       string           `json:"identity_header"`
	ValidationExpression string           `json:"validation_expression"`
	TTLSeconds           int              `json:"ttl_seconds"`
	Ignore               []DocSuppression `json:"ignore"`
	Source               *DocSource       `json:"source,omitempty"`
}

// DocRoute is one route (method) in a Document.
type DocRoute struct {
	Key           string            `json:"key"`
	Method        string            `json:"method"`
	Path          string            `json:"path"`
	AuthType      string            `json:"auth_type"`
	Authorizer    *string           `json:"authorizer"`
	Scopes        []string          `json:"scopes"`
	Public        bool              `json:"public"`
	Reason        string            `json:"reason"`
	Integration   *DocIntegration   `json:"integration"`
	ParamExamples map[string]string `json:"param_examples"`
	Ignore        []DocSuppression  `json:"ignore"`
	Source        *DocSource        `json:"source,omitempty"`
}

// DocIntegration is a route's declared integration.
type DocIntegration struct {
	Type       string `json:"type"`
	URI        string `json:"uri"`
	HTTPMethod string `json:"http_method"`
}

// DocCORS is the CORS configuration.
type DocCORS struct {
	AllowOrigins     []string `json:"allow_origins"`
	AllowMethods     []string `json:"allow_methods"`
	AllowHeaders     []string `json:"allow_headers"`
	ExposeHeaders    []string `json:"expose_headers"`
	AllowCredentials bool     `json:"allow_credentials"`
	MaxAgeSeconds    int      `json:"max_age_seconds"`
}

// DocGatewayResponse is one gateway response.
type DocGatewayResponse struct {
	Type               string            `json:"type"`
	StatusCode         string            `json:"status_code"`
	ResponseParameters map[string]string `json:"response_parameters"`
	ResponseTemplates  map[string]string `json:"response_templates"`
	FromCORS           bool              `json:"from_cors"`
}

// DocStage is one stage.
type DocStage struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Variables   map[string]string `json:"variables"`
}

// DocSuppression is one `ignore` entry.
type DocSuppression struct {
	Rule   string `json:"rule"`
	Reason string `json:"reason"`
}

// DocSource locates an element in its file.
type DocSource struct {
	Filename string `json:"filename"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
}

// DocOptions tunes ToDocument.
type DocOptions struct {
	// NoSources drops source locations (to compare models read from
	// different files).
	NoSources bool
}

// ToDocument builds the JSON Document of d.
func ToDocument(d *Description, opt DocOptions) Document {
	doc := Document{FormatVersion: FormatVersion, APIs: []DocAPI{}, HTTPAPIs: []DocHTTPAPI{}}
	src := opt.source
	for _, a := range d.APIs {
		da := DocAPI{
			Name: a.Name, Region: a.Region, RestAPIID: a.RestAPIID, Description: a.Description,
			Authorizers: []DocAuthorizer{}, Routes: []DocRoute{}, GatewayResponses: []DocGatewayResponse{},
			Stages: []DocStage{}, Ignore: sups(a.Suppressions), Source: src(a.Range),
		}
		if a.DefaultAuthorizer != "" {
			n := a.DefaultAuthorizer
			da.DefaultAuthorizer = &n
		}
		for _, az := range a.Authorizers {
			da.Authorizers = append(da.Authorizers, DocAuthorizer{
				Name: az.Name, Type: az.Type, UserPoolARNs: strs(az.UserPoolARNs),
				IdentitySource: az.IdentitySource, IdentityHeader: az.IdentityHeader(),
				ValidationExpression: az.ValidationExpression, TTLSeconds: az.TTLSeconds,
				Ignore: sups(az.Suppressions), Source: src(az.Range),
			})
		}
		for _, r := range a.Routes {
			dr := DocRoute{
				Key: r.Key(), Method: r.Method, Path: r.Path, AuthType: r.AuthType,
				Scopes: strs(r.Scopes),
				Public: r.Public, Reason: r.Reason, ParamExamples: kv(r.ParamExamples),
				Ignore: sups(r.Suppressions), Source: src(r.Range),
			}
			if r.Authorizer != "" {
				n := r.Authorizer
				dr.Authorizer = &n
			}
			if r.Integration != nil {
				dr.Integration = &DocIntegration{Type: r.Integration.Type, URI: r.Integration.URI, HTTPMethod: r.Integration.HTTPMethod}
			}
			da.Routes = append(da.Routes, dr)
		}
		if c := a.CORS; c != nil {
			da.CORS = &DocCORS{
				AllowOrigins: strs(c.AllowOrigins), AllowMethods: strs(c.AllowMethods),
				AllowHeaders: strs(c.AllowHeadersOrDefault()), ExposeHeaders: strs(c.ExposeHeaders),
				AllowCredentials: c.AllowCredentials, MaxAgeSeconds: c.MaxAgeSeconds,
			}
		}
		for _, g := range a.GatewayResponses {
			da.GatewayResponses = append(da.GatewayResponses, DocGatewayResponse{
				Type: g.Type, StatusCode: g.StatusCode, ResponseParameters: kv(g.ResponseParameters),
				ResponseTemplates: kv(g.ResponseTemplates), FromCORS: g.FromCORS,
			})
		}
		for _, s := range a.Stages {
			da.Stages = append(da.Stages, DocStage{Name: s.Name, Description: s.Description, Variables: kv(s.Variables)})
		}
		doc.APIs = append(doc.APIs, da)
	}
	for _, a := range d.HTTPAPIs {
		doc.HTTPAPIs = append(doc.HTTPAPIs, httpAPIDoc(a, opt))
	}
	return doc
}

func (opt DocOptions) source(r Range) *DocSource {
	if opt.NoSources || r.Filename == "" {
		return nil
	}
	return &DocSource{Filename: r.Filename, Line: r.Start.Line, Column: r.Start.Column}
}

func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func kv(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func sups(s []Suppression) []DocSuppression {
	out := []DocSuppression{}
	for _, x := range s {
		out = append(out, DocSuppression{Rule: x.Rule, Reason: x.Reason})
	}
	return out
}
