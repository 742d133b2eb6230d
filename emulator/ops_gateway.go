package emulator

import "regexp"

// defaultGatewayResponse is what GetGatewayResponse shows for a type that
// was never customized.
func defaultGatewayResponse(t string) *GatewayResponse {
	return &GatewayResponse{
		ResponseType: t, StatusCode: DefaultGatewayResponseStatus[t], DefaultResponse: true,
		ResponseParameters: map[string]string{},
		ResponseTemplates:  map[string]string{"application/json": DefaultGatewayResponseTemplate},
	}
}

func (a *apiState) gatewayResponse(t string) (*GatewayResponse, *apiError) {
	if _, ok := DefaultGatewayResponseStatus[t]; !ok {
		return nil, badRequest("Invalid response type specified: %s", t)
	}
	if gr := a.GatewayResponses[t]; gr != nil {
		return gr, nil
	}
	return defaultGatewayResponse(t), nil
}

func opGetGatewayResponses(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	var items []*GatewayResponse
	for _, t := range gatewayResponseTypes() {
		gr, _ := a.gatewayResponse(t)
		items = append(items, gr)
	}
	c, err := page(q, items)
	if err != nil {
		return nil, err
	}
	return ok(c)
}

func opGetGatewayResponse(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	gr, err := a.gatewayResponse(q.params[1])
	if err != nil {
		return nil, err
	}
	return ok(gr)
}

func opPutGatewayResponse(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	t := q.params[1]
	if _, err := a.gatewayResponse(t); err != nil {
		return nil, err
	}
	var in GatewayResponse
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	gr := &GatewayResponse{ResponseType: t, StatusCode: in.StatusCode,
		ResponseParameters: in.ResponseParameters, ResponseTemplates: in.ResponseTemplates}
	if err := checkGatewayResponse(gr); err != nil {
		return nil, err
	}
	a.GatewayResponses[t] = gr
	return created(gr)
}

func checkGatewayResponse(gr *GatewayResponse) *apiError {
	if gr.StatusCode != "" && !statusCodeRE.MatchString(gr.StatusCode) {
		return badRequest("Invalid status code specified: %s. Must match [1-5]\\d\\d", gr.StatusCode)
	}
	for k := range gr.ResponseParameters {
		if !gatewayParamRE.MatchString(k) {
			return badRequest("Invalid mapping expression specified: %s", k)
		}
	}
	return nil
}

func opUpdateGatewayResponse(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	cur, err := a.gatewayResponse(q.params[1])
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneGatewayResponse(cur)
	n.DefaultResponse = false
	for _, op := range ops {
		switch {
		case op.is("replace", "/statusCode"):
			n.StatusCode = op.Value
		case patchStringMap(&n.ResponseParameters, op, "/responseParameters/"):
		case patchStringMap(&n.ResponseTemplates, op, "/responseTemplates/"):
		default:
			return nil, op.invalid()
		}
	}
	if err := checkGatewayResponse(n); err != nil {
		return nil, err
	}
	a.GatewayResponses[n.ResponseType] = n
	return ok(n)
}

func opDeleteGatewayResponse(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	t := q.params[1]
	if _, err := a.gatewayResponse(t); err != nil {
		return nil, err
	}
	if a.GatewayResponses[t] == nil {
		return nil, notFound("Gateway response type not defined on api")
	}
	delete(a.GatewayResponses, t)
	return accepted()
}

var gatewayParamRE = regexp.MustCompile(`^gatewayresponse\.(header|path|querystring)\.\S+$`)
