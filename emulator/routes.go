package emulator

// p builds a route pattern; "" captures a segment.
func p(segs ...string) []string { return segs }

// routes is the control plane's one operation table (the botocore model's
// URIs and verbs).
func (e *Emulator) routes() []route {
	const x = "" // a captured segment
	api := func(rest ...string) []string { return append(p("restapis", x), rest...) }
	method := func(rest ...string) []string {
		return append(api("resources", x, "methods", x), rest...)
	}
	return append([]route{
		{"GET", p("restapis"), "GetRestApis", opGetRestApis, false},
		{"POST", p("restapis"), "CreateRestApi", opCreateRestApi, true},
		{"GET", api(), "GetRestApi", opGetRestApi, false},
		{"PUT", api(), "PutRestApi", opPutRestApi, true},
		{"PATCH", api(), "UpdateRestApi", opUpdateRestApi, true},
		{"DELETE", api(), "DeleteRestApi", opDeleteRestApi, true},

		{"GET", api("resources"), "GetResources", opGetResources, false},
		{"POST", api("resources", x), "CreateResource", opCreateResource, true},
		{"GET", api("resources", x), "GetResource", opGetResource, false},
		{"PATCH", api("resources", x), "UpdateResource", opUpdateResource, true},
		{"DELETE", api("resources", x), "DeleteResource", opDeleteResource, true},

		{"PUT", method(), "PutMethod", opPutMethod, true},
		{"GET", method(), "GetMethod", opGetMethod, false},
		{"PATCH", method(), "UpdateMethod", opUpdateMethod, true},
		{"DELETE", method(), "DeleteMethod", opDeleteMethod, true},
		{"PUT", method("responses", x), "PutMethodResponse", opPutMethodResponse, true},
		{"GET", method("responses", x), "GetMethodResponse", opGetMethodResponse, false},
		{"PATCH", method("responses", x), "UpdateMethodResponse", opUpdateMethodResponse, true},
		{"DELETE", method("responses", x), "DeleteMethodResponse", opDeleteMethodResponse, true},

		{"PUT", method("integration"), "PutIntegration", opPutIntegration, true},
		{"GET", method("integration"), "GetIntegration", opGetIntegration, false},
		{"PATCH", method("integration"), "UpdateIntegration", opUpdateIntegration, true},
		{"DELETE", method("integration"), "DeleteIntegration", opDeleteIntegration, true},
		{"PUT", method("integration", "responses", x), "PutIntegrationResponse", opPutIntegrationResponse, true},
		{"GET", method("integration", "responses", x), "GetIntegrationResponse", opGetIntegrationResponse, false},
		{"PATCH", method("integration", "responses", x), "UpdateIntegrationResponse", opUpdateIntegrationResponse, true},
		{"DELETE", method("integration", "responses", x), "DeleteIntegrationResponse", opDeleteIntegrationResponse, true},

		{"GET", api("authorizers"), "GetAuthorizers", opGetAuthorizers, false},
		{"POST", api("authorizers"), "CreateAuthorizer", opCreateAuthorizer, true},
		{"GET", api("authorizers", x), "GetAuthorizer", opGetAuthorizer, false},
		{"PATCH", api("authorizers", x), "UpdateAuthorizer", opUpdateAuthorizer, true},
		{"DELETE", api("authorizers", x), "DeleteAuthorizer", opDeleteAuthorizer, true},
		{"POST", api("authorizers", x), "TestInvokeAuthorizer", opTestInvokeAuthorizer, false},

		{"GET", api("deployments"), "GetDeployments", opGetDeployments, false},
		{"POST", api("deployments"), "CreateDeployment", opCreateDeployment, true},
		{"GET", api("deployments", x), "GetDeployment", opGetDeployment, false},
		{"PATCH", api("deployments", x), "UpdateDeployment", opUpdateDeployment, true},
		{"DELETE", api("deployments", x), "DeleteDeployment", opDeleteDeployment, true},

		{"GET", api("stages"), "GetStages", opGetStages, false},
		{"POST", api("stages"), "CreateStage", opCreateStage, true},
		{"GET", api("stages", x), "GetStage", opGetStage, false},
		{"PATCH", api("stages", x), "UpdateStage", opUpdateStage, true},
		{"DELETE", api("stages", x), "DeleteStage", opDeleteStage, true},
		{"DELETE", api("stages", x, "cache", "authorizers"), "FlushStageAuthorizersCache", opFlushStageAuthorizersCache, true},
		{"GET", api("stages", x, "exports", x), "GetExport", opGetExport, false},

		{"GET", api("gatewayresponses"), "GetGatewayResponses", opGetGatewayResponses, false},
		{"PUT", api("gatewayresponses", x), "PutGatewayResponse", opPutGatewayResponse, true},
		{"GET", api("gatewayresponses", x), "GetGatewayResponse", opGetGatewayResponse, false},
		{"PATCH", api("gatewayresponses", x), "UpdateGatewayResponse", opUpdateGatewayResponse, true},
		{"DELETE", api("gatewayresponses", x), "DeleteGatewayResponse", opDeleteGatewayResponse, true},

		// Tags are accepted and dropped: nothing in Portcullis reads them.
		{"PUT", p("tags", x), "TagResource", opTagResource, false},
		{"DELETE", p("tags", x), "UntagResource", opTagResource, false},
		{"GET", p("tags", x), "GetTags", opGetTags, false},
	}, e.v2Routes()...)
}
