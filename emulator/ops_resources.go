package emulator

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// pathPartRE is what CreateResource accepts: a literal segment, {name} or
// the greedy {name+}.
var pathPartRE = regexp.MustCompile(`^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._-]+)$`)

var httpMethods = map[string]bool{"GET": true, "PUT": true, "POST": true, "DELETE": true, "PATCH": true, "OPTIONS": true, "HEAD": true, "ANY": true}

var statusCodeRE = regexp.MustCompile(`^[1-5]\d\d$`)

var requestParamRE = regexp.MustCompile(`^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.[^.\s]+$`)

func (a *apiState) resource(id string) (*Resource, *apiError) {
	for _, r := range a.Resources {
		if r.ID == id {
			return r, nil
		}
	}
	return nil, notFound("Invalid Resource identifier specified")
}

func (a *apiState) newResourceID() string {
	for {
		id := newID(6)
		if _, err := a.resource(id); err != nil {
			return id
		}
	}
}

func isVariable(part string) bool { return strings.HasPrefix(part, "{") }
func isGreedy(part string) bool   { return strings.HasSuffix(part, "+}") }

func childPath(parent *Resource, part string) string {
	if parent.Path == "/" {
		return "/" + part
	}
	return parent.Path + "/" + part
}

// checkChild validates adding part under parent (except is a resource
// being moved or renamed, ignored as a sibling).
func (a *apiState) checkChild(parent *Resource, part string, except *Resource) *apiError {
	if !pathPartRE.MatchString(part) {
		return badRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
	}
	if isGreedy(parent.PathPart) {
		return badRequest("Cannot create a child of a resource with a greedy path variable: %s", parent.PathPart)
	}
	for _, r := range a.Resources {
		if r.ParentID != parent.ID || r == except {
			continue
		}
		if r.PathPart == part {
			return conflict("Another resource with the same parent already has this name: %s", part)
		}
		if isVariable(part) && isVariable(r.PathPart) {
			return badRequest("A sibling (%s) of this resource already has a variable path part -- only one is allowed", r.PathPart)
		}
	}
	return nil
}

// addResource creates part under parent, enforcing the quota.
func (e *Emulator) addResource(a *apiState, parent *Resource, part string) (*Resource, *apiError) {
	if err := a.checkChild(parent, part, nil); err != nil {
		return nil, err
	}
	if len(a.Resources) >= e.limits.ResourcesPerAPI {
		return nil, limitExceeded("Cannot exceed the limit of %d resources per API", e.limits.ResourcesPerAPI)
	}
	r := &Resource{ID: a.newResourceID(), ParentID: parent.ID, PathPart: part, Path: childPath(parent, part)}
	a.Resources = append(a.Resources, r)
	return r, nil
}

// descendants returns r's subtree, r included, parents before children.
func (a *apiState) descendants(r *Resource) []*Resource {
	out := []*Resource{r}
	for i := 0; i < len(out); i++ {
		for _, c := range a.Resources {
			if c.ParentID == out[i].ID {
				out = append(out, c)
			}
		}
	}
	return out
}

// resourceWire is a Resource on the wire: resourceMethods holds full
// Method objects with embed=methods and empty objects otherwise, as AWS
// answers.
type resourceWire struct {
	ID              string         `json:"id"`
	ParentID        string         `json:"parentId,omitempty"`
	PathPart        string         `json:"pathPart,omitempty"`
	Path            string         `json:"path"`
	ResourceMethods map[string]any `json:"resourceMethods,omitempty"`
}

func resourceOut(r *Resource, embed bool) resourceWire {
	w := resourceWire{ID: r.ID, ParentID: r.ParentID, PathPart: r.PathPart, Path: r.Path}
	if len(r.Methods) > 0 {
		w.ResourceMethods = make(map[string]any, len(r.Methods))
		for verb, m := range r.Methods {
			if embed {
				w.ResourceMethods[verb] = m
			} else {
				w.ResourceMethods[verb] = struct{}{}
			}
		}
	}
	return w
}

func embedMethods(q url.Values) bool {
	for _, v := range q["embed"] {
		for _, p := range strings.Split(v, ",") {
			if p == "methods" {
				return true
			}
		}
	}
	return false
}

func opGetResources(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	embed := embedMethods(q.query)
	items := make([]resourceWire, len(a.Resources))
	for i, r := range a.Resources {
		items[i] = resourceOut(r, embed)
	}
	c, err := page(q, items)
	if err != nil {
		return nil, err
	}
	return ok(c)
}

func opGetResource(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	r, err := a.resource(q.params[1])
	if err != nil {
		return nil, err
	}
	return ok(resourceOut(r, embedMethods(q.query)))
}

func opCreateResource(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	parent, err := a.resource(q.params[1])
	if err != nil {
		return nil, err
	}
	var in struct {
		PathPart string `json:"pathPart"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	r, err := e.addResource(a, parent, in.PathPart)
	if err != nil {
		return nil, err
	}
	return created(resourceOut(r, false))
}

func opUpdateResource(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	r, err := a.resource(q.params[1])
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	if r.ParentID == "" && len(ops) > 0 {
		return nil, badRequest("Cannot modify the root resource")
	}
	part, parentID := r.PathPart, r.ParentID
	for _, op := range ops {
		switch {
		case op.is("replace", "/pathPart"):
			part = op.Value
		case op.is("replace", "/parentId"):
			parentID = op.Value
		default:
			return nil, op.invalid()
		}
	}
	parent, err := a.resource(parentID)
	if err != nil {
		return nil, err
	}
	sub := a.descendants(r)
	for _, d := range sub {
		if d == parent {
			return nil, badRequest("Cannot move a resource under itself")
		}
	}
	if err := a.checkChild(parent, part, r); err != nil {
		return nil, err
	}
	r.PathPart, r.ParentID = part, parentID
	r.Path = childPath(parent, part)
	for _, d := range sub[1:] {
		p, _ := a.resource(d.ParentID)
		d.Path = childPath(p, d.PathPart)
	}
	return ok(resourceOut(r, false))
}

func opDeleteResource(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	r, err := a.resource(q.params[1])
	if err != nil {
		return nil, err
	}
	if r.ParentID == "" {
		return nil, badRequest("Cannot delete the root resource")
	}
	gone := map[*Resource]bool{}
	for _, d := range a.descendants(r) {
		gone[d] = true
	}
	kept := a.Resources[:0:0]
	for _, x := range a.Resources {
		if !gone[x] {
			kept = append(kept, x)
		}
	}
	a.Resources = kept
	return accepted()
}

// method finds params[1]/params[2] (resource id, verb).
func (e *Emulator) method(q *req) (*apiState, *Resource, *Method, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, nil, nil, err
	}
	r, err := a.resource(q.params[1])
	if err != nil {
		return nil, nil, nil, err
	}
	m := r.Methods[strings.ToUpper(q.params[2])]
	if m == nil {
		return nil, nil, nil, notFound("Invalid Method identifier specified")
	}
	return a, r, m, nil
}

func (a *apiState) authorizer(id string) *Authorizer {
	for _, az := range a.Authorizers {
		if az.ID == id {
			return az
		}
	}
	return nil
}

// checkMethod enforces what PutMethod and UpdateMethod require.
func (a *apiState) checkMethod(m *Method) *apiError {
	switch m.AuthorizationType {
	case "NONE", "AWS_IAM":
	case "COGNITO_USER_POOLS":
		az := a.authorizer(m.AuthorizerID)
		if az == nil || az.Type != "COGNITO_USER_POOLS" {
			return badRequest("Invalid authorizer ID specified. Setting the authorization type to COGNITO_USER_POOLS requires a valid authorizer.")
		}
	case "CUSTOM":
		az := a.authorizer(m.AuthorizerID)
		if az == nil || az.Type == "COGNITO_USER_POOLS" {
			return badRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM requires a valid authorizer.")
		}
	default:
		return badRequest("Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS")
	}
	for k := range m.RequestParameters {
		if !requestParamRE.MatchString(k) {
			return badRequest("Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid method parameter specified: %s]", k)
		}
	}
	return nil
}

func opPutMethod(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	r, err := a.resource(q.params[1])
	if err != nil {
		return nil, err
	}
	verb := strings.ToUpper(q.params[2])
	if !httpMethods[verb] {
		return nil, badRequest("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
	}
	if r.Methods[verb] != nil {
		return nil, conflict("Method already exists for this resource")
	}
	var in Method
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if in.AuthorizationType == "" {
		return nil, badRequest("1 validation error detected: Value null at 'authorizationType' failed to satisfy constraint: Member must not be null")
	}
	m := &Method{
		HTTPMethod: verb, AuthorizationType: in.AuthorizationType, AuthorizerID: in.AuthorizerID,
		AuthorizationScopes: in.AuthorizationScopes, APIKeyRequired: in.APIKeyRequired,
		OperationName: in.OperationName, RequestValidatorID: in.RequestValidatorID,
		RequestParameters: in.RequestParameters, RequestModels: in.RequestModels,
	}
	if err := a.checkMethod(m); err != nil {
		return nil, err
	}
	if r.Methods == nil {
		r.Methods = map[string]*Method{}
	}
	r.Methods[verb] = m
	return created(m)
}

func opGetMethod(e *Emulator, q *req) (*reply, *apiError) {
	_, _, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	return ok(m)
}

func opUpdateMethod(e *Emulator, q *req) (*reply, *apiError) {
	a, r, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneMethod(m)
	for _, op := range ops {
		switch {
		case op.is("replace", "/authorizationType"):
			n.AuthorizationType = op.Value
		case op.is("replace", "/authorizerId"):
			n.AuthorizerID = op.Value
		case op.is("replace", "/apiKeyRequired"):
			if n.APIKeyRequired, err = op.boolValue(); err != nil {
				return nil, err
			}
		case op.is("replace", "/operationName"):
			n.OperationName = op.Value
		case op.is("replace", "/requestValidatorId"):
			n.RequestValidatorID = op.Value
		case op.is("add", "/authorizationScopes"):
			if op.Value == "" {
				return nil, badRequest("Invalid authorization scope: empty")
			}
			if !slices.Contains(n.AuthorizationScopes, op.Value) {
				n.AuthorizationScopes = append(n.AuthorizationScopes, op.Value)
			}
		case op.is("remove", "/authorizationScopes"):
			if op.Value == "" {
				n.AuthorizationScopes = nil
			} else {
				n.AuthorizationScopes = remove(n.AuthorizationScopes, op.Value)
			}
		case patchStringMap(&n.RequestModels, op, "/requestModels/"):
		default:
			handled, perr := patchBoolMap(&n.RequestParameters, op, "/requestParameters/")
			if perr != nil {
				return nil, perr
			}
			if !handled {
				return nil, op.invalid()
			}
		}
	}
	if len(n.AuthorizationScopes) == 0 {
		n.AuthorizationScopes = nil
	}
	if err := a.checkMethod(n); err != nil {
		return nil, err
	}
	r.Methods[n.HTTPMethod] = n
	return ok(n)
}

func opDeleteMethod(e *Emulator, q *req) (*reply, *apiError) {
	_, r, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	delete(r.Methods, m.HTTPMethod)
	if len(r.Methods) == 0 {
		r.Methods = nil
	}
	return noContent()
}

// Method responses.

func (e *Emulator) methodResponse(q *req) (*Method, *MethodResponse, *apiError) {
	_, _, m, err := e.method(q)
	if err != nil {
		return nil, nil, err
	}
	mr := m.MethodResponses[q.params[3]]
	if mr == nil {
		return m, nil, notFound("Invalid Response status code specified")
	}
	return m, mr, nil
}

func opPutMethodResponse(e *Emulator, q *req) (*reply, *apiError) {
	_, _, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	code := q.params[3]
	if !statusCodeRE.MatchString(code) {
		return nil, badRequest("Invalid status code specified: %s", code)
	}
	if m.MethodResponses[code] != nil {
		return nil, conflict("Response already exists for this resource")
	}
	var in MethodResponse
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	mr := &MethodResponse{StatusCode: code, ResponseParameters: in.ResponseParameters, ResponseModels: in.ResponseModels}
	if m.MethodResponses == nil {
		m.MethodResponses = map[string]*MethodResponse{}
	}
	m.MethodResponses[code] = mr
	return created(mr)
}

func opGetMethodResponse(e *Emulator, q *req) (*reply, *apiError) {
	_, mr, err := e.methodResponse(q)
	if err != nil {
		return nil, err
	}
	return ok(mr)
}

func opUpdateMethodResponse(e *Emulator, q *req) (*reply, *apiError) {
	m, mr, err := e.methodResponse(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneMethodResponse(mr)
	for _, op := range ops {
		if patchStringMap(&n.ResponseModels, op, "/responseModels/") {
			continue
		}
		handled, perr := patchBoolMap(&n.ResponseParameters, op, "/responseParameters/")
		if perr != nil {
			return nil, perr
		}
		if !handled {
			return nil, op.invalid()
		}
	}
	m.MethodResponses[n.StatusCode] = n
	return ok(n)
}

func opDeleteMethodResponse(e *Emulator, q *req) (*reply, *apiError) {
	m, mr, err := e.methodResponse(q)
	if err != nil {
		return nil, err
	}
	delete(m.MethodResponses, mr.StatusCode)
	return noContent()
}

// Integrations.

var integrationTypes = map[string]bool{"HTTP": true, "HTTP_PROXY": true, "AWS": true, "AWS_PROXY": true, "MOCK": true}

var passthroughBehaviors = map[string]bool{"WHEN_NO_MATCH": true, "WHEN_NO_TEMPLATES": true, "NEVER": true}

// checkIntegration enforces what PutIntegration requires (the messages are
// AWS's where known).
func checkIntegration(i *Integration) *apiError {
	if !integrationTypes[i.Type] {
		return badRequest("Invalid integration type specified. Valid options are HTTP,HTTP_PROXY,AWS,AWS_PROXY,MOCK")
	}
	if i.Type != "MOCK" {
		if i.HTTPMethod == "" {
			return badRequest("Enumeration value for HttpMethod must be non-empty")
		}
		if !httpMethods[i.HTTPMethod] {
			return badRequest("Invalid HttpMethod specified for the integration: %s", i.HTTPMethod)
		}
		switch i.Type {
		case "HTTP", "HTTP_PROXY":
			if !validHTTPURI(i.URI) {
				return badRequest("Invalid HTTP endpoint specified for URI")
			}
		case "AWS", "AWS_PROXY":
			if !strings.HasPrefix(i.URI, "arn:") {
				return badRequest("AWS ARN for integration must contain path or action")
			}
		}
	}
	if i.PassthroughBehavior != "" && !passthroughBehaviors[i.PassthroughBehavior] {
		return badRequest("Invalid passthrough behavior specified: %s", i.PassthroughBehavior)
	}
	if i.TimeoutInMillis < 50 || i.TimeoutInMillis > 29000 {
		return badRequest("Timeout should be between 50 ms and 29000 ms")
	}
	return nil
}

// validHTTPURI accepts an absolute http(s) URL, where stage variables
// (${stageVariables.name}) may stand for any part, the host included.
func validHTTPURI(uri string) bool {
	if strings.Contains(uri, "${stageVariables.") {
		return strings.HasPrefix(uri, "http://") || strings.HasPrefix(uri, "https://") || strings.HasPrefix(uri, "${stageVariables.")
	}
	u, err := url.Parse(uri)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func opPutIntegration(e *Emulator, q *req) (*reply, *apiError) {
	_, r, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	var in Integration
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if in.TimeoutInMillis == 0 {
		in.TimeoutInMillis = 29000
	}
	if in.PassthroughBehavior == "" {
		in.PassthroughBehavior = "WHEN_NO_MATCH"
	}
	if in.CacheNamespace == "" {
		in.CacheNamespace = r.ID
	}
	if in.Type == "MOCK" {
		in.HTTPMethod, in.URI = "", ""
	}
	in.IntegrationResponses = nil
	if err := checkIntegration(&in); err != nil {
		return nil, err
	}
	m.Integration = &in
	return created(&in)
}

func (e *Emulator) integration(q *req) (*Method, *apiError) {
	_, _, m, err := e.method(q)
	if err != nil {
		return nil, err
	}
	if m.Integration == nil {
		return nil, notFound("No integration defined for method")
	}
	return m, nil
}

func opGetIntegration(e *Emulator, q *req) (*reply, *apiError) {
	m, err := e.integration(q)
	if err != nil {
		return nil, err
	}
	return ok(m.Integration)
}

func opUpdateIntegration(e *Emulator, q *req) (*reply, *apiError) {
	m, err := e.integration(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneIntegration(m.Integration)
	for _, op := range ops {
		switch {
		case op.is("replace", "/uri"), op.is("replace", "/httpMethod"):
			if n.Type == "MOCK" {
				return nil, badRequest("Cannot set %s on a MOCK integration", op.Path[1:])
			}
			if op.Path == "/uri" {
				n.URI = op.Value
			} else {
				n.HTTPMethod = op.Value
			}
		case op.is("replace", "/passthroughBehavior"):
			n.PassthroughBehavior = op.Value
		case op.is("replace", "/contentHandling"):
			n.ContentHandling = op.Value
		case op.is("replace", "/connectionType"):
			n.ConnectionType = op.Value
		case op.is("replace", "/connectionId"):
			n.ConnectionID = op.Value
		case op.is("replace", "/credentials"):
			n.Credentials = op.Value
		case op.is("replace", "/cacheNamespace"):
			n.CacheNamespace = op.Value
		case op.is("replace", "/timeoutInMillis"):
			v, err := op.intValue()
			if err != nil {
				return nil, err
			}
			n.TimeoutInMillis = int32(v)
		case op.is("replace", "/tlsConfig/insecureSkipVerification"):
			b, err := op.boolValue()
			if err != nil {
				return nil, err
			}
			n.TLSConfig = &TLSConfig{InsecureSkipVerification: b}
		case op.under("add", "/cacheKeyParameters/"):
			if k := op.key("/cacheKeyParameters/"); !slices.Contains(n.CacheKeyParameters, k) {
				n.CacheKeyParameters = append(n.CacheKeyParameters, k)
			}
		case op.under("remove", "/cacheKeyParameters/"):
			n.CacheKeyParameters = remove(n.CacheKeyParameters, op.key("/cacheKeyParameters/"))
		case patchStringMap(&n.RequestTemplates, op, "/requestTemplates/"):
		case patchStringMap(&n.RequestParameters, op, "/requestParameters/"):
		default:
			return nil, op.invalid()
		}
	}
	if err := checkIntegration(n); err != nil {
		return nil, err
	}
	m.Integration = n
	return ok(n)
}

func opDeleteIntegration(e *Emulator, q *req) (*reply, *apiError) {
	m, err := e.integration(q)
	if err != nil {
		return nil, err
	}
	m.Integration = nil
	return noContent()
}

// Integration responses.

func opPutIntegrationResponse(e *Emulator, q *req) (*reply, *apiError) {
	m, err := e.integration(q)
	if err != nil {
		return nil, err
	}
	code := q.params[3]
	if !statusCodeRE.MatchString(code) {
		return nil, badRequest("Invalid status code specified: %s", code)
	}
	var in IntegrationResponse
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	in.StatusCode = code
	if m.Integration.IntegrationResponses == nil {
		m.Integration.IntegrationResponses = map[string]*IntegrationResponse{}
	}
	m.Integration.IntegrationResponses[code] = &in
	return created(&in)
}

func (e *Emulator) integrationResponse(q *req) (*Integration, *IntegrationResponse, *apiError) {
	m, err := e.integration(q)
	if err != nil {
		return nil, nil, err
	}
	ir := m.Integration.IntegrationResponses[q.params[3]]
	if ir == nil {
		return nil, nil, notFound("Invalid Response status code specified")
	}
	return m.Integration, ir, nil
}

func opGetIntegrationResponse(e *Emulator, q *req) (*reply, *apiError) {
	_, ir, err := e.integrationResponse(q)
	if err != nil {
		return nil, err
	}
	return ok(ir)
}

func opUpdateIntegrationResponse(e *Emulator, q *req) (*reply, *apiError) {
	in, ir, err := e.integrationResponse(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneIntegrationResponse(ir)
	for _, op := range ops {
		switch {
		case op.is("replace", "/selectionPattern"):
			n.SelectionPattern = op.Value
		case op.is("replace", "/contentHandling"):
			n.ContentHandling = op.Value
		case patchStringMap(&n.ResponseParameters, op, "/responseParameters/"):
		case patchStringMap(&n.ResponseTemplates, op, "/responseTemplates/"):
		default:
			return nil, op.invalid()
		}
	}
	in.IntegrationResponses[n.StatusCode] = n
	return ok(n)
}

func opDeleteIntegrationResponse(e *Emulator, q *req) (*reply, *apiError) {
	in, ir, err := e.integrationResponse(q)
	if err != nil {
		return nil, err
	}
	delete(in.IntegrationResponses, ir.StatusCode)
	return noContent()
}

// sortedVerbs returns a resource's verbs in a stable order.
func sortedVerbs(r *Resource) []string {
	out := make([]string, 0, len(r.Methods))
	for v := range r.Methods {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}
