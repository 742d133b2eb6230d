package emulator

import (
	"slices"
	"sort"
	"strconv"
	"strings"
)

// account is the account id in ARNs and error messages (LocalStack's).
const account = "000000000000"

// api finds the API id in the region q was signed for: like AWS, one
// region's APIs do not exist in another.
func (e *Emulator) api(q *req, id string) (*apiState, *apiError) {
	a := e.apis[id]
	if a == nil || a.Region != q.region {
		return nil, notFound("Invalid API identifier specified %s:%s", account, id)
	}
	return a, nil
}

func (e *Emulator) newAPIID() string {
	for {
		id := newID(10)
		if e.apis[id] == nil {
			return id
		}
	}
}

// newAPI makes an empty API with its root resource in region.
func (e *Emulator) newAPI(region, name string) *apiState {
	id := e.newAPIID()
	root := &Resource{ID: newID(10), Path: "/"}
	return &apiState{
		Region: region,
		RestApi: RestApi{
			ID: id, Name: name, CreatedDate: e.now().Unix(), APIKeySource: "HEADER",
			EndpointConfiguration: &EndpointConfiguration{Types: []string{"EDGE"}},
			RootResourceID:        root.ID,
		},
		Resources:        []*Resource{root},
		GatewayResponses: map[string]*GatewayResponse{},
		Deployments:      map[string]*Deployment{},
		Stages:           map[string]*Stage{},
	}
}

// apisIn counts the APIs of one region (the quota is per account and region).
func (e *Emulator) apisIn(region string) int {
	n := 0
	for _, a := range e.apis {
		if a.Region == region {
			n++
		}
	}
	return n
}

func opGetRestApis(e *Emulator, q *req) (*reply, *apiError) {
	items := make([]RestApi, 0, len(e.apis))
	for _, a := range e.apis {
		if a.Region == q.region {
			items = append(items, a.RestApi)
		}
	}
	sort.Slice(items, func(i, j int) bool {
		if items[i].CreatedDate != items[j].CreatedDate {
			return items[i].CreatedDate < items[j].CreatedDate
		}
		return items[i].ID < items[j].ID
	})
	c, err := page(q, items)
	if err != nil {
		return nil, err
	}
	return ok(c)
}

func opCreateRestApi(e *Emulator, q *req) (*reply, *apiError) {
	if q.query.Get("mode") == "import" {
		return opImportRestApi(e, q)
	}
	var in struct {
		Name                      string                 `json:"name"`
		Description               string                 `json:"description"`
		Version                   string                 `json:"version"`
		CloneFrom                 string                 `json:"cloneFrom"`
		BinaryMediaTypes          []string               `json:"binaryMediaTypes"`
		APIKeySource              string                 `json:"apiKeySource"`
		EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration"`
		Policy                    string                 `json:"policy"`
		Tags                      map[string]string      `json:"tags"`
		DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if strings.TrimSpace(in.Name) == "" {
		return nil, badRequest("Invalid REST API name specified")
	}
	if e.apisIn(q.region) >= e.limits.APIs {
		return nil, limitExceeded("Cannot exceed the limit of %d REST APIs", e.limits.APIs)
	}
	if in.APIKeySource != "" && in.APIKeySource != "HEADER" && in.APIKeySource != "AUTHORIZER" {
		return nil, badRequest("Invalid API Key source specified: %s", in.APIKeySource)
	}
	var a *apiState
	if in.CloneFrom != "" {
		src, err := e.api(q, in.CloneFrom)
		if err != nil {
			return nil, err
		}
		a = cloneAPI(src)
		a.Deployments = map[string]*Deployment{}
		a.Stages = map[string]*Stage{}
		a.RestApi.ID = e.newAPIID()
		a.RestApi.CreatedDate = e.now().Unix()
		a.RestApi.Name = in.Name
	} else {
		a = e.newAPI(q.region, in.Name)
	}
	ra := &a.RestApi
	ra.Description, ra.Version, ra.Policy = in.Description, in.Version, in.Policy
	ra.BinaryMediaTypes, ra.Tags = in.BinaryMediaTypes, in.Tags
	ra.DisableExecuteAPIEndpoint = in.DisableExecuteAPIEndpoint
	if in.APIKeySource != "" {
		ra.APIKeySource = in.APIKeySource
	}
	if in.EndpointConfiguration != nil && len(in.EndpointConfiguration.Types) > 0 {
		for _, t := range in.EndpointConfiguration.Types {
			if t != "EDGE" && t != "REGIONAL" && t != "PRIVATE" {
				return nil, badRequest("Invalid endpoint configuration type: %s", t)
			}
		}
		ra.EndpointConfiguration = &EndpointConfiguration{Types: cloneSlice(in.EndpointConfiguration.Types)}
	}
	e.apis[ra.ID] = a
	return created(a.RestApi)
}

func opImportRestApi(e *Emulator, q *req) (*reply, *apiError) {
	if e.apisIn(q.region) >= e.limits.APIs {
		return nil, limitExceeded("Cannot exceed the limit of %d REST APIs", e.limits.APIs)
	}
	a := e.newAPI(q.region, "")
	if t := q.query.Get("endpointConfigurationTypes"); t != "" {
		if t != "EDGE" && t != "REGIONAL" && t != "PRIVATE" {
			return nil, badRequest("Invalid endpoint configuration type: %s", t)
		}
		a.RestApi.EndpointConfiguration = &EndpointConfiguration{Types: []string{t}}
	}
	next, warnings, err := e.importDefinition(a, q.body, "overwrite", q)
	if err != nil {
		return nil, err
	}
	if next.RestApi.Name == "" {
		return nil, badRequest("Invalid REST API name specified: the definition has no info.title")
	}
	e.apis[next.RestApi.ID] = next
	out := next.RestApi
	out.Warnings = warnings
	return created(out)
}

func failOnWarnings(q *req) bool {
	b, _ := strconv.ParseBool(q.query.Get("failonwarnings"))
	return b
}

func opGetRestApi(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	return ok(a.RestApi)
}

func opPutRestApi(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	mode := q.query.Get("mode")
	if mode == "" {
		mode = "merge"
	}
	if mode != "merge" && mode != "overwrite" {
		return nil, badRequest("Invalid mode specified: %s (merge or overwrite)", mode)
	}
	next, warnings, aerr := e.importDefinition(a, q.body, mode, q)
	if aerr != nil {
		return nil, aerr
	}
	e.apis[next.RestApi.ID] = next
	out := next.RestApi
	out.Warnings = warnings
	return ok(out)
}

func opUpdateRestApi(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	ra := a.RestApi
	ra.BinaryMediaTypes = cloneSlice(ra.BinaryMediaTypes)
	for _, op := range ops {
		switch {
		case op.is("replace", "/name"):
			if op.Value == "" {
				return nil, badRequest("Invalid REST API name specified")
			}
			ra.Name = op.Value
		case op.is("replace", "/description"):
			ra.Description = op.Value
		case op.is("replace", "/version"):
			ra.Version = op.Value
		case op.is("replace", "/policy"):
			ra.Policy = op.Value
		case op.is("replace", "/apiKeySource"):
			if op.Value != "HEADER" && op.Value != "AUTHORIZER" {
				return nil, badRequest("Invalid API Key source specified: %s", op.Value)
			}
			ra.APIKeySource = op.Value
		case op.is("replace", "/disableExecuteApiEndpoint"):
			b, err := op.boolValue()
			if err != nil {
				return nil, err
			}
			ra.DisableExecuteAPIEndpoint = b
		case op.under("replace", "/endpointConfiguration/types/"):
			if op.Value != "EDGE" && op.Value != "REGIONAL" && op.Value != "PRIVATE" {
				return nil, badRequest("Invalid endpoint configuration type: %s", op.Value)
			}
			ra.EndpointConfiguration = &EndpointConfiguration{Types: []string{op.Value}}
		case op.under("add", "/binaryMediaTypes/"):
			t := op.key("/binaryMediaTypes/")
			if !slices.Contains(ra.BinaryMediaTypes, t) {
				ra.BinaryMediaTypes = append(ra.BinaryMediaTypes, t)
			}
		case op.under("remove", "/binaryMediaTypes/"):
			ra.BinaryMediaTypes = remove(ra.BinaryMediaTypes, op.key("/binaryMediaTypes/"))
		default:
			return nil, op.invalid()
		}
	}
	a.RestApi = ra
	return ok(a.RestApi)
}

func opDeleteRestApi(e *Emulator, q *req) (*reply, *apiError) {
	if _, err := e.api(q, q.params[0]); err != nil {
		return nil, err
	}
	delete(e.apis, q.params[0])
	for k := range e.flushGen {
		if strings.HasPrefix(k, q.params[0]+"/") {
			delete(e.flushGen, k)
		}
	}
	return accepted()
}

func opTagResource(e *Emulator, q *req) (*reply, *apiError) { return noContent() }

func opGetTags(e *Emulator, q *req) (*reply, *apiError) {
	return ok(map[string]map[string]string{"tags": {}})
}

func remove(s []string, v string) []string {
	out := s[:0:0]
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
