package state

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/portcullis-dev/portcullis/spec"
)

// HTTPAPI is one live HTTP API (API Gateway v2) as read: the ids and raw
// records apply needs, beside the same *spec.HTTPAPI model the
// description readers produce (Model).
type HTTPAPI struct {
	APIID       string
	Name        string
	Description string
	// Endpoint is the API's apiEndpoint (https://ID.execute-api.REGION.amazonaws.com).
	Endpoint string
	CORS     *spec.CORS
	// Authorizers in the order API Gateway lists them.
	Authorizers []*HTTPAuthorizer
	// AuthorizersUnlisted is true when the gateway could not list
	// authorizers (moto): only those the routes use were read, so one
	// nobody uses cannot be seen.
	AuthorizersUnlisted bool
	// Integrations by id.
	Integrations map[string]*HTTPIntegration
	// Routes in the order API Gateway lists them.
	Routes []*HTTPRoute
	Stages map[string]*HTTPStage
	Model  *spec.HTTPAPI
}

// HTTPAuthorizer is one live authorizer.
type HTTPAuthorizer struct {
	ID              string
	Name            string
	Type            string
	Issuer          string
	Audiences       []string
	IdentitySources []string
}

// HTTPIntegration is one live integration.
type HTTPIntegration struct {
	ID string
	spec.HTTPIntegration
	// ParameterMapping is set when the live integration maps parameters
	// (requestParameters or responseParameters), which a description does
	// not carry: UpdateIntegration leaves it alone, ReimportApi would
	// remove it (apply.ImportHTTP refuses then).
	ParameterMapping bool
}

// MappedIntegrations are the ids, sorted, of the live integrations with a
// parameter mapping.
func (s *HTTPAPI) MappedIntegrations() []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(s.Integrations)) {
		if s.Integrations[id].ParameterMapping {
			out = append(out, id)
		}
	}
	return out
}

// HTTPRoute is one live route.
type HTTPRoute struct {
	ID                string
	Key               string
	AuthorizationType string
	AuthorizerID      string
	Scopes            []string
	// Target is "integrations/ID" or "".
	Target        string
	OperationName string
}

// HTTPStage is one live stage and what its deployment serves.
type HTTPStage struct {
	Name         string
	AutoDeploy   bool
	DeploymentID string
	Description  string
	Variables    map[string]string
	// Deployed is the stage's deployment as its export shows it; nil when
	// it could not be read (no deployment, or the gateway cannot export).
	Deployed *HTTPDeployed
}

// HTTPDeployed is what a stage serves: route key -> "JWT authorizer
// scope,scope" (or "NONE"), from ExportApi with the stage's name.
type HTTPDeployed struct {
	DeploymentID string
	Auth         map[string]string
}

// AuthorizerByID returns the live authorizer with id, or nil.
func (s *HTTPAPI) AuthorizerByID(id string) *HTTPAuthorizer {
	for _, a := range s.Authorizers {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// AuthorizerByName returns the first live authorizer named name, or nil.
func (s *HTTPAPI) AuthorizerByName(name string) *HTTPAuthorizer {
	for _, a := range s.Authorizers {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Route returns the live route with key, or nil.
func (s *HTTPAPI) Route(key string) *HTTPRoute {
	if s == nil {
		return nil
	}
	for _, r := range s.Routes {
		if r.Key == key {
			return r
		}
	}
	return nil
}

// Integration returns the integration a target names, or nil.
func (s *HTTPAPI) Integration(target string) *HTTPIntegration {
	const p = "integrations/"
	if len(target) <= len(p) || target[:len(p)] != p {
		return nil
	}
	return s.Integrations[target[len(p):]]
}

// RouteAuth is how the auth surface of a route is summarised for deployed
// comparisons: "NONE", "JWT cognito todo/read,todo/write", ...
func RouteAuth(authType, authorizer string, scopes []string) string {
	if authType == "" || authType == spec.AuthNone {
		return spec.AuthNone
	}
	s := append([]string(nil), scopes...)
	sort.Strings(s)
	out := authType + " " + authorizer
	for i, x := range s {
		if i == 0 {
			out += " "
		} else {
			out += ","
		}
		out += x
	}
	return out
}

// BuildModel derives Model from what was read.
func (s *HTTPAPI) BuildModel(region string) {
	m := &spec.HTTPAPI{Name: s.Name, Region: region, APIID: s.APIID, Description: s.Description, CORS: s.CORS}
	for _, a := range s.Authorizers {
		m.Authorizers = append(m.Authorizers, &spec.JWTAuthorizer{Name: a.Name, Type: a.Type, Issuer: a.Issuer,
			Audiences: append([]string(nil), a.Audiences...), IdentitySources: append([]string(nil), a.IdentitySources...), ID: a.ID,
			UserPoolID: cognitoPoolID(a.Issuer)})
	}
	for _, r := range s.Routes {
		method, path, _ := spec.ParseRouteKey(r.Key)
		mr := &spec.HTTPRoute{Key: r.Key, Method: method, Path: path, AuthType: r.AuthorizationType, Scopes: append([]string(nil), r.Scopes...),
			OperationName: r.OperationName, ID: r.ID}
		if mr.AuthType == "" {
			mr.AuthType = spec.AuthNone
		}
		if az := s.AuthorizerByID(r.AuthorizerID); az != nil {
			mr.Authorizer = az.Name
		} else if r.AuthorizerID != "" {
			mr.Authorizer = r.AuthorizerID
		}
		mr.Public = mr.AuthType == spec.AuthNone
		if in := s.Integration(r.Target); in != nil {
			c := in.HTTPIntegration
			mr.Integration = &c
		}
		m.Routes = append(m.Routes, mr)
	}
	names := make([]string, 0, len(s.Stages))
	for n := range s.Stages {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		st := s.Stages[n]
		m.Stages = append(m.Stages, &spec.HTTPStage{Name: st.Name, AutoDeploy: st.AutoDeploy, Description: st.Description, Variables: st.Variables})
	}
	m.Sort()
	s.Model = m
}

func cognitoPoolID(issuer string) string {
	if _, id, ok := spec.ParseCognitoIssuer(issuer); ok {
		return id
	}
	return ""
}

// Undeployed compares what stage serves with the working configuration,
// route by route: "KEY: deployed -> working" for each difference, sorted.
// known is false when the stage or what it serves could not be read.
func (s *HTTPAPI) Undeployed(stage string) (diffs []string, known bool) {
	st := s.Stages[stage]
	if st == nil || st.Deployed == nil {
		return nil, false
	}
	working := map[string]string{}
	for _, r := range s.Routes {
		name := r.AuthorizerID
		if az := s.AuthorizerByID(r.AuthorizerID); az != nil {
			name = az.Name
		}
		working[r.Key] = RouteAuth(r.AuthorizationType, name, r.Scopes)
	}
	for k, w := range working {
		if got, ok := st.Deployed.Auth[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: (not deployed) -> %s", k, w))
		} else if got != w {
			diffs = append(diffs, fmt.Sprintf("%s: %s -> %s", k, got, w))
		}
	}
	for k, got := range st.Deployed.Auth {
		if _, ok := working[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s: %s -> (deleted)", k, got))
		}
	}
	sort.Strings(diffs)
	return diffs, true
}
