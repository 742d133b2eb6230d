package spec

// DocHTTPAPI is one HTTP API (v2) in a Document. Field names follow DocAPI
// where the meaning is the same, so a policy can treat both alike.
type DocHTTPAPI struct {
	Name              string             `json:"name"`
	Protocol          string             `json:"protocol"` // always "HTTP"
	Region            string             `json:"region"`
	APIID             string             `json:"api_id"`
	Description       string             `json:"description"`
	DefaultAuthorizer *string            `json:"default_authorizer"`
	Authorizers       []DocJWTAuthorizer `json:"authorizers"`
	Routes            []DocHTTPRoute     `json:"routes"`
	// CORS is the corsConfiguration as written (no defaults filled in), or
	// null when the gateway does not answer preflights.
	CORS   *DocCORS         `json:"cors"`
	Stages []DocHTTPStage   `json:"stages"`
	Ignore []DocSuppression `json:"ignore"`
	Source *DocSource       `json:"source,omitempty"`
}

// DocJWTAuthorizer is one HTTP API authorizer in a Document.
type DocJWTAuthorizer struct {
	Name string `json:"name"`
	Type string `json:"type"` // "JWT" (or "REQUEST" read live)
	// Issuer is the effective issuer, derived when user_pool_id was given.
	Issuer string `json:"issuer"`
	// UserPoolID is the Cognito pool the description named, else the pool
	// the issuer URL names, else "".
	UserPoolID      string           `json:"user_pool_id"`
	Audiences       []string         `json:"audiences"`
	IdentitySources []string         `json:"identity_sources"`
	IdentityHeader  string           `json:"identity_header"`
	Ignore          []DocSuppression `json:"ignore"`
	Source          *DocSource       `json:"source,omitempty"`
}

// DocHTTPRoute is one HTTP API route in a Document.
type DocHTTPRoute struct {
	Key           string              `json:"key"`
	Method        string              `json:"method"` // "" for $default
	Path          string              `json:"path"`   // "" for $default
	AuthType      string              `json:"auth_type"`
	Authorizer    *string             `json:"authorizer"`
	Scopes        []string            `json:"scopes"`
	Public        bool                `json:"public"`
	Reason        string              `json:"reason"`
	Integration   *DocHTTPIntegration `json:"integration"`
	ParamExamples map[string]string   `json:"param_examples"`
	Ignore        []DocSuppression    `json:"ignore"`
	Source        *DocSource          `json:"source,omitempty"`
}

// DocHTTPIntegration is an HTTP API route's declared integration.
type DocHTTPIntegration struct {
	Type                 string `json:"type"`
	URI                  string `json:"uri"`
	Method               string `json:"method"`
	PayloadFormatVersion string `json:"payload_format_version"`
	TimeoutMillis        int    `json:"timeout_millis"`
}

// DocHTTPStage is one HTTP API stage.
type DocHTTPStage struct {
	Name        string            `json:"name"`
	AutoDeploy  bool              `json:"auto_deploy"`
	Description string            `json:"description"`
	Variables   map[string]string `json:"variables"`
}

func httpAPIDoc(a *HTTPAPI, opt DocOptions) DocHTTPAPI {
	da := DocHTTPAPI{
		Name: a.Name, Protocol: "HTTP", Region: a.Region, APIID: a.APIID, Description: a.Description,
		Authorizers: []DocJWTAuthorizer{}, Routes: []DocHTTPRoute{}, Stages: []DocHTTPStage{},
		Ignore: sups(a.Suppressions), Source: opt.source(a.Range),
	}
	if a.DefaultAuthorizer != "" {
		n := a.DefaultAuthorizer
		da.DefaultAuthorizer = &n
	}
	for _, az := range a.Authorizers {
		pool := az.UserPoolID
		if pool == "" {
			_, pool, _ = az.CognitoPool()
		}
		da.Authorizers = append(da.Authorizers, DocJWTAuthorizer{
			Name: az.Name, Type: az.Type, Issuer: az.Issuer, UserPoolID: pool,
			Audiences: strs(az.Audiences), IdentitySources: strs(az.IdentitySources),
			IdentityHeader: az.IdentityHeader(), Ignore: sups(az.Suppressions), Source: opt.source(az.Range),
		})
	}
	for _, r := range a.Routes {
		dr := DocHTTPRoute{
			Key: r.Key, Method: r.Method, Path: r.Path, AuthType: r.AuthType, Scopes: strs(r.Scopes),
			Public: r.Public, Reason: r.Reason, ParamExamples: kv(r.ParamExamples),
			Ignore: sups(r.Suppressions), Source: opt.source(r.Range),
		}
		if r.Authorizer != "" {
			n := r.Authorizer
			dr.Authorizer = &n
		}
		if in := r.Integration; in != nil {
			dr.Integration = &DocHTTPIntegration{Type: in.Type, URI: in.URI, Method: in.Method,
				PayloadFormatVersion: in.PayloadFormatVersion, TimeoutMillis: in.TimeoutMillis}
		}
		da.Routes = append(da.Routes, dr)
	}
	if c := a.CORS; c != nil {
		da.CORS = &DocCORS{
			AllowOrigins: strs(c.AllowOrigins), AllowMethods: strs(c.AllowMethods),
			AllowHeaders: strs(c.AllowHeaders), ExposeHeaders: strs(c.ExposeHeaders),
			AllowCredentials: c.AllowCredentials, MaxAgeSeconds: c.MaxAgeSeconds,
		}
	}
	for _, s := range a.Stages {
		da.Stages = append(da.Stages, DocHTTPStage{Name: s.Name, AutoDeploy: s.AutoDeploy, Description: s.Description, Variables: kv(s.Variables)})
	}
	return da
}
