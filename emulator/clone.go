package emulator

// Deep copies. Snapshots and failed imports depend on them: a deployment
// must not see later edits, and an import that fails must leave the API as
// it was.

func cloneMethod(m *Method) *Method {
	if m == nil {
		return nil
	}
	c := *m
	c.AuthorizationScopes = cloneSlice(m.AuthorizationScopes)
	c.RequestParameters = cloneMap(m.RequestParameters)
	c.RequestModels = cloneMap(m.RequestModels)
	if m.MethodResponses != nil {
		c.MethodResponses = make(map[string]*MethodResponse, len(m.MethodResponses))
		for k, v := range m.MethodResponses {
			c.MethodResponses[k] = cloneMethodResponse(v)
		}
	}
	c.Integration = cloneIntegration(m.Integration)
	return &c
}

func cloneMethodResponse(r *MethodResponse) *MethodResponse {
	if r == nil {
		return nil
	}
	c := *r
	c.ResponseParameters = cloneMap(r.ResponseParameters)
	c.ResponseModels = cloneMap(r.ResponseModels)
	return &c
}

func cloneIntegration(i *Integration) *Integration {
	if i == nil {
		return nil
	}
	c := *i
	c.RequestParameters = cloneMap(i.RequestParameters)
	c.RequestTemplates = cloneMap(i.RequestTemplates)
	c.CacheKeyParameters = cloneSlice(i.CacheKeyParameters)
	if i.TLSConfig != nil {
		t := *i.TLSConfig
		c.TLSConfig = &t
	}
	if i.IntegrationResponses != nil {
		c.IntegrationResponses = make(map[string]*IntegrationResponse, len(i.IntegrationResponses))
		for k, v := range i.IntegrationResponses {
			c.IntegrationResponses[k] = cloneIntegrationResponse(v)
		}
	}
	return &c
}

func cloneIntegrationResponse(r *IntegrationResponse) *IntegrationResponse {
	if r == nil {
		return nil
	}
	c := *r
	c.ResponseParameters = cloneMap(r.ResponseParameters)
	c.ResponseTemplates = cloneMap(r.ResponseTemplates)
	return &c
}

func cloneResource(r *Resource) *Resource {
	c := *r
	if r.Methods != nil {
		c.Methods = make(map[string]*Method, len(r.Methods))
		for k, m := range r.Methods {
			c.Methods[k] = cloneMethod(m)
		}
	}
	return &c
}

func cloneAuthorizer(a *Authorizer) *Authorizer {
	c := *a
	c.ProviderARNs = cloneSlice(a.ProviderARNs)
	if a.ResultTTL != nil {
		t := *a.ResultTTL
		c.ResultTTL = &t
	}
	return &c
}

func cloneGatewayResponse(g *GatewayResponse) *GatewayResponse {
	c := *g
	c.ResponseParameters = cloneMap(g.ResponseParameters)
	c.ResponseTemplates = cloneMap(g.ResponseTemplates)
	return &c
}

func cloneStage(s *Stage) *Stage {
	c := *s
	c.Variables = cloneMap(s.Variables)
	c.MethodSettings = cloneMap(s.MethodSettings)
	c.Tags = cloneMap(s.Tags)
	return &c
}

// cloneAPI copies everything an import can change; deployments are
// immutable and shared.
func cloneAPI(a *apiState) *apiState {
	c := &apiState{
		Region:           a.Region,
		RestApi:          a.RestApi,
		Deployments:      cloneMap(a.Deployments),
		GatewayResponses: make(map[string]*GatewayResponse, len(a.GatewayResponses)),
		Stages:           make(map[string]*Stage, len(a.Stages)),
	}
	c.RestApi.BinaryMediaTypes = cloneSlice(a.RestApi.BinaryMediaTypes)
	c.RestApi.Tags = cloneMap(a.RestApi.Tags)
	if a.RestApi.EndpointConfiguration != nil {
		ec := EndpointConfiguration{Types: cloneSlice(a.RestApi.EndpointConfiguration.Types)}
		c.RestApi.EndpointConfiguration = &ec
	}
	for _, r := range a.Resources {
		c.Resources = append(c.Resources, cloneResource(r))
	}
	for _, az := range a.Authorizers {
		c.Authorizers = append(c.Authorizers, cloneAuthorizer(az))
	}
	for k, g := range a.GatewayResponses {
		c.GatewayResponses[k] = cloneGatewayResponse(g)
	}
	for k, s := range a.Stages {
		c.Stages[k] = cloneStage(s)
	}
	return c
}

// snapshot captures what a deployment serves.
func (a *apiState) snapshot() *Snapshot {
	s := &Snapshot{APIID: a.RestApi.ID, Name: a.RestApi.Name}
	for _, r := range a.Resources {
		s.Resources = append(s.Resources, cloneResource(r))
	}
	for _, az := range a.Authorizers {
		s.Authorizers = append(s.Authorizers, cloneAuthorizer(az))
	}
	if len(a.GatewayResponses) > 0 {
		s.GatewayResponses = make(map[string]*GatewayResponse, len(a.GatewayResponses))
		for k, g := range a.GatewayResponses {
			s.GatewayResponses[k] = cloneGatewayResponse(g)
		}
	}
	return s
}
