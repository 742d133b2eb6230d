package state

import (
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// State is one live REST API as read: the spec model of it (Model) plus
// the identifiers and raw facts apply needs to write minimal calls (resource
// ids, authorizer ids, request parameters, what each stage serves).
type State struct {
	RestAPIID      string
	RootResourceID string
	// Resources by path ("/", "/items", "/items/{id}").
	Resources map[string]*Resource
	// Authorizers in the order API Gateway lists them.
	Authorizers []*Authorizer
	// GatewayResponses holds the customized ones only (defaultResponse
	// false), by type.
	GatewayResponses map[string]*spec.GatewayResponse
	Stages           map[string]*Stage
	// Model is the live API in the shared model: what drift compares and
	// import writes.
	Model *spec.API
}

// Resource is one resource and its methods by verb.
type Resource struct {
	ID       string
	ParentID string
	Path     string
	Methods  map[string]*Method
}

// Method is one live method, with the facts the spec model does not carry.
type Method struct {
	HTTPMethod        string
	AuthorizationType string
	AuthorizerID      string
	Scopes            []string
	RequestParameters map[string]bool
	// Integration is nil when the method has none.
	Integration *spec.Integration
	// Responses are the method response status codes declared.
	Responses []string
}

// Authorizer is one live authorizer: the model plus what only a live one has.
type Authorizer struct {
	spec.Authorizer
	// TTLUnset is true when API Gateway omitted the TTL (it applies 300).
	TTLUnset bool
}

// Stage is one live stage and what its deployment serves.
type Stage struct {
	Name         string
	DeploymentID string
	Description  string
	Variables    map[string]string
	// Deployed is what the stage's deployment captured; nil when it was
	// not read (only the stages asked for are).
	Deployed *Deployed
}

// Deployed is a deployment's view of the auth surface. Each fact has three
// states: known (a map, possibly empty: known absent) or unknown (nil, with
// an entry in Unknowns saying which call did not give it and why). Unknown
// is never read as empty: a deployment whose summary a server did not send
// is not a deployment without methods.
type Deployed struct {
	DeploymentID string
	Description  string
	// Auth maps a route key ("GET /items") to the authorization type the
	// deployment captured (GetDeployment embed=apisummary); nil when the
	// answer had no apiSummary.
	Auth map[string]string
	// Security maps a route key to "authorizer-name scope,scope" as the
	// stage's export shows it; nil when the export could not be read or
	// was not OpenAPI 3 with API Gateway's extensions.
	Security map[string]string
	// Pools maps an authorizer name to its pool ARNs (sorted) in the
	// export; nil when Security is.
	Pools map[string][]string
	// Unknowns says what could not be read, one entry per call.
	Unknowns []Unknown
}

// Unknown is a fact a call did not give: the operation, and what was
// missing from its answer (or the error instead of one).
type Unknown struct {
	Operation string
	Missing   string
}

func (u Unknown) String() string { return u.Operation + ": " + u.Missing }

// Method returns the live method verb on path, or nil.
func (s *State) Method(path, verb string) *Method {
	if s == nil {
		return nil
	}
	r := s.Resources[path]
	if r == nil {
		return nil
	}
	return r.Methods[verb]
}

// AuthorizerByName returns the live authorizers named name (API Gateway
// does not make names unique).
func (s *State) AuthorizerByName(name string) []*Authorizer {
	if s == nil {
		return nil
	}
	var out []*Authorizer
	for _, a := range s.Authorizers {
		if a.Name == name {
			out = append(out, a)
		}
	}
	return out
}

// AuthorizerByID returns the live authorizer with id, or nil.
func (s *State) AuthorizerByID(id string) *Authorizer {
	if s == nil {
		return nil
	}
	for _, a := range s.Authorizers {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// Paths returns the resource paths, sorted.
func (s *State) Paths() []string {
	out := make([]string, 0, len(s.Resources))
	for p := range s.Resources {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// BuildModel derives Model, the spec model of the live API, from the
// resources, authorizers, gateway responses and stages already read.
func (s *State) BuildModel(name, description string) {
	a := &spec.API{Name: name, RestAPIID: s.RestAPIID, Description: description}
	for _, az := range s.Authorizers {
		c := az.Authorizer
		c.UserPoolARNs = append([]string(nil), az.UserPoolARNs...)
		a.Authorizers = append(a.Authorizers, &c)
	}
	for _, path := range s.Paths() {
		res := s.Resources[path]
		for verb, m := range res.Methods {
			r := &spec.Route{Method: verb, Path: path, AuthType: m.AuthorizationType, Scopes: append([]string(nil), m.Scopes...)}
			if m.AuthorizerID != "" {
				if az := s.AuthorizerByID(m.AuthorizerID); az != nil {
					r.Authorizer = az.Name
				} else {
					// A dangling id is itself a finding; keep it visible.
					r.Authorizer = m.AuthorizerID
				}
			}
			r.Public = m.AuthorizationType == spec.AuthNone
			if m.Integration != nil {
				in := *m.Integration
				r.Integration = &in
			}
			a.Routes = append(a.Routes, r)
		}
	}
	for _, g := range s.GatewayResponses {
		c := *g
		a.GatewayResponses = append(a.GatewayResponses, &c)
	}
	// API Gateway keeps no order of stages: by name, so that every read
	// gives the same model (spec.API.Sort keeps stage order as given).
	names := make([]string, 0, len(s.Stages))
	for name := range s.Stages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		st := s.Stages[name]
		a.Stages = append(a.Stages, &spec.Stage{Name: st.Name, Description: st.Description, Variables: st.Variables})
	}
	a.Sort()
	s.Model = a
}

// SecurityKey is the comparable form of an authorizer reference with scopes.
func SecurityKey(authorizer string, scopes []string) string {
	s := append([]string(nil), scopes...)
	sort.Strings(s)
	return strings.TrimSpace(authorizer + " " + strings.Join(s, ","))
}
