package diff

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// Action is what happens to an element.
type Action string

// Actions, in Terraform's symbols: + create, ~ update, - delete.
const (
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
)

// Symbol is the plan's one-character mark for a.
func (a Action) Symbol() string {
	switch a {
	case Create:
		return "+"
	case Delete:
		return "-"
	}
	return "~"
}

// Kind is the kind of element a change touches.
type Kind string

// Kinds of element.
const (
	KindAPI             Kind = "api"
	KindAuthorizer      Kind = "authorizer"
	KindResource        Kind = "resource"
	KindMethod          Kind = "method"
	KindIntegration     Kind = "integration"
	KindGatewayResponse Kind = "gateway_response"
	KindStage           Kind = "stage"
)

// Field is one attribute's old and new value, rendered for people.
type Field struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// PatchOp is one JSON-patch operation of UpdateAuthorizer/UpdateMethod.
type PatchOp struct {
	Op    string `json:"op"`
	Path  string `json:"path"`
	Value string `json:"value,omitempty"`
	// AuthorizerRef names the authorizer whose id is the value; it is
	// resolved when applied, since the authorizer may be created by the
	// same apply.
	AuthorizerRef string `json:"authorizer_ref,omitempty"`
}

// Change is one difference between description and live API, with what
// apply must send to remove it.
type Change struct {
	Action  Action  `json:"action"`
	Kind    Kind    `json:"kind"`
	Address string  `json:"address"`
	Fields  []Field `json:"fields"`
	// ID is the live id of the element changed (authorizer id, resource id
	// of a method's resource); empty for creations.
	ID   string `json:"id,omitempty"`
	Path string `json:"path,omitempty"`
	Verb string `json:"verb,omitempty"`
	// Ops are the patch operations of an update (authorizer or method),
	// adds before removes.
	Ops []PatchOp `json:"ops,omitempty"`

	API             *APISpec             `json:"api,omitempty"`
	Authorizer      *AuthorizerSpec      `json:"authorizer,omitempty"`
	Method          *MethodSpec          `json:"method,omitempty"`
	Integration     *IntegrationSpec     `json:"integration,omitempty"`
	GatewayResponse *GatewayResponseSpec `json:"gateway_response,omitempty"`
	Stage           *StageSpec           `json:"stage,omitempty"`

	// Range locates the described element (for drift findings).
	Range *spec.Range `json:"-"`
	// Route is the route key a method change concerns.
	Route string `json:"route,omitempty"`
}

// MarshalJSON writes fields as a list even when there are none, so that
// a plan's `.changes[].fields[]` never meets null (docs/plan.schema.json).
func (c Change) MarshalJSON() ([]byte, error) {
	type plain Change
	if c.Fields == nil {
		c.Fields = []Field{}
	}
	return json.Marshal(plain(c))
}

// APISpec is the body of CreateRestApi.
type APISpec struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// AuthorizerSpec is the body of CreateAuthorizer.
type AuthorizerSpec struct {
	Name                 string   `json:"name"`
	Type                 string   `json:"type"`
	ProviderARNs         []string `json:"provider_arns"`
	IdentitySource       string   `json:"identity_source"`
	ValidationExpression string   `json:"validation_expression,omitempty"`
	TTLSeconds           int      `json:"ttl_seconds"`
}

// MethodSpec is the body of PutMethod.
type MethodSpec struct {
	AuthType          string          `json:"auth_type"`
	AuthorizerRef     string          `json:"authorizer_ref,omitempty"`
	Scopes            []string        `json:"scopes,omitempty"`
	RequestParameters map[string]bool `json:"request_parameters,omitempty"`
	OperationName     string          `json:"operation_name,omitempty"`
}

// IntegrationSpec is PutIntegration with its method and integration
// responses.
type IntegrationSpec struct {
	Type                string                    `json:"type"`
	URI                 string                    `json:"uri,omitempty"`
	HTTPMethod          string                    `json:"http_method,omitempty"`
	PassthroughBehavior string                    `json:"passthrough_behavior,omitempty"`
	RequestTemplates    map[string]string         `json:"request_templates,omitempty"`
	RequestParameters   map[string]string         `json:"request_parameters,omitempty"`
	TimeoutMillis       int                       `json:"timeout_millis,omitempty"`
	Responses           []IntegrationResponseSpec `json:"responses,omitempty"`
	MethodResponses     []MethodResponseSpec      `json:"method_responses,omitempty"`
}

// IntegrationResponseSpec is one PutIntegrationResponse.
type IntegrationResponseSpec struct {
	Pattern            string            `json:"pattern,omitempty"`
	StatusCode         string            `json:"status_code"`
	ResponseParameters map[string]string `json:"response_parameters,omitempty"`
	ResponseTemplates  map[string]string `json:"response_templates,omitempty"`
}

// MethodResponseSpec is one PutMethodResponse: a status and the headers
// the integration response maps.
type MethodResponseSpec struct {
	StatusCode string   `json:"status_code"`
	Headers    []string `json:"headers,omitempty"`
}

// GatewayResponseSpec is the body of PutGatewayResponse.
type GatewayResponseSpec struct {
	Type               string            `json:"type"`
	StatusCode         string            `json:"status_code,omitempty"`
	ResponseParameters map[string]string `json:"response_parameters,omitempty"`
	ResponseTemplates  map[string]string `json:"response_templates,omitempty"`
}

// StageSpec is the stage a deployment targets.
type StageSpec struct {
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	Variables   map[string]string `json:"variables,omitempty"`
	// Exists is true when the stage exists live.
	Exists bool `json:"exists"`
	// Undeployed is true when the stage's deployment does not serve the
	// working configuration (changed but never deployed).
	Undeployed bool `json:"undeployed"`
}

// String is the change in one line: "~ method.GET /items".
func (c Change) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", c.Action.Symbol(), c.Address)
	for _, f := range c.Fields {
		fmt.Fprintf(&b, " %s: %s -> %s;", f.Name, f.Old, f.New)
	}
	return strings.TrimSuffix(b.String(), ";")
}
