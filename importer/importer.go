package importer

import (
	"fmt"
	"maps"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/restapi"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// OpenReason is the reason written on methods that are open live.
const OpenReason = "imported: this method had no authorization in the live API; review"

// Describe builds the description of a live API. Skipped lists what could
// not be described.
func Describe(st *state.State, region string) (api *spec.API, skipped []string) {
	m := st.Model
	api = &spec.API{Name: m.Name, Region: region, RestAPIID: st.RestAPIID, Description: m.Description}
	cognito := map[string]bool{}
	for _, az := range m.Authorizers {
		if az.Type != spec.AuthorizerCognito {
			skipped = append(skipped, fmt.Sprintf("authorizer %q (%s): only Cognito authorizers can be described", az.Name, az.Type))
			continue
		}
		c := *az
		c.ID = ""
		api.Authorizers = append(api.Authorizers, &c)
		cognito[az.Name] = true
	}
	for _, r := range m.Routes {
		if r.AuthType == spec.AuthCustom || (r.AuthType == spec.AuthCognito && !cognito[r.Authorizer]) {
			skipped = append(skipped, fmt.Sprintf("route %s: uses authorizer %q, which cannot be described", r.Key(), r.Authorizer))
			continue
		}
		c := *r
		c.Scopes = append([]string(nil), r.Scopes...)
		switch r.AuthType {
		case spec.AuthNone:
			c.Public, c.Reason, c.Authorizer, c.Scopes = true, OpenReason, "", nil
		case spec.AuthIAM:
			c.Authorizer, c.Scopes = "", nil
		}
		api.Routes = append(api.Routes, &c)
	}
	for _, g := range m.GatewayResponses {
		c := *g
		api.GatewayResponses = append(api.GatewayResponses, &c)
	}
	for _, s := range m.Stages {
		c := *s
		api.Stages = append(api.Stages, &c)
	}
	detectCORS(api)
	api.Sort()
	return api, skipped
}

// detectCORS replaces the OPTIONS mocks and gateway responses Portcullis
// generates for a cors block by the block, when they are exactly what
// that block would generate (so a plan on the import shows no changes).
func detectCORS(api *spec.API) {
	var origin string
	var headers []string
	paths := map[string]bool{}
	for _, r := range api.Routes {
		if r.Method != "OPTIONS" {
			paths[r.Path] = true
		}
	}
	if len(paths) == 0 {
		return
	}
	for p := range paths {
		o := api.Route("OPTIONS", p)
		if o == nil || o.Integration == nil || o.Integration.Type != spec.IntegrationMock {
			return
		}
		params := defaultParams(o.Integration)
		origin = spec.Unquote(params["method.response.header.Access-Control-Allow-Origin"])
		headers = strings.Split(spec.Unquote(params["method.response.header.Access-Control-Allow-Headers"]), ",")
		if origin == "" {
			return
		}
	}
	cors := &spec.CORS{AllowOrigins: []string{origin}, AllowHeaders: headers}
	if strings.Join(headers, ",") == strings.Join(spec.DefaultCORSAllowHeaders, ",") {
		cors.AllowHeaders = nil
	}
	trial := *api
	trial.CORS = cors
	for p := range paths {
		var methods []string
		for _, r := range api.Routes {
			if r.Path == p && r.Method != "OPTIONS" {
				methods = append(methods, r.Method)
			}
		}
		sort.Strings(methods)
		want := defaultParams(restapi.PreflightIntegration(cors, methods))
		if !maps.Equal(want, defaultParams(api.Route("OPTIONS", p).Integration)) {
			return // hand-made preflights: keep them as routes
		}
	}
	var routes []*spec.Route
	for _, r := range api.Routes {
		if r.Method == "OPTIONS" && paths[r.Path] {
			continue
		}
		routes = append(routes, r)
	}
	api.Routes, api.CORS = routes, cors
	implied := map[string]*spec.GatewayResponse{}
	for _, g := range spec.CORSGatewayResponses(cors) {
		implied[g.Type] = g
	}
	var kept []*spec.GatewayResponse
	for _, g := range api.GatewayResponses {
		if i := implied[g.Type]; i != nil && maps.Equal(i.ResponseParameters, g.ResponseParameters) && g.StatusCode == "" && len(g.ResponseTemplates) == 0 {
			continue
		}
		kept = append(kept, g)
	}
	api.GatewayResponses = kept
}

func defaultParams(in *spec.Integration) map[string]string {
	for _, r := range in.Responses {
		if r.Pattern == "" || r.Pattern == "default" {
			return r.ResponseParameters
		}
	}
	return nil
}
