package emulator

// This file is the contract between the control plane (everything in this
// package except dataplane*.go) and the data plane (dataplane*.go).
//
// The data plane provides, in emulator/dataplane*.go:
//
//	// newDataPlane returns the handler for invoke requests. The router sends it
//	//   - /restapis/{id}/{stage}/_user_request_/{path...}   (LocalStack's form)
//	//   - any request whose Host is {id}.execute-api.localhost[:port]
//	//     (the path is then /{stage}/{path...})
//	// unchanged (r.URL.Path is not rewritten).
//	func newDataPlane(e *Emulator) http.Handler
//
//	// DataPlaneOptions carries the data plane's settings (issuer mappings,
//	// JWKS sources, clock, ...); Options.DataPlane holds one and the data
//	// plane reads it with e.Options().DataPlane.
//	type DataPlaneOptions struct{ ... }
//
// The data plane reads deployed configuration only through
// (*Emulator).StageSnapshot, which returns the immutable Snapshot the stage's
// deployment captured, and keys its authorizer cache with
// (*Emulator).AuthorizerCacheGeneration, which FlushStageAuthorizersCache
// bumps. Snapshots are deep copies made at CreateDeployment
// time and are never modified afterwards, so the data plane may read them
// without holding any lock but must never write to them.
//
// The JSON tags are API Gateway's wire names; the same types are what the
// state file stores.

import (
	"encoding/json"
	"sort"
	"strings"
)

// RestApi is one REST API's top-level record (GetRestApi's shape).
type RestApi struct {
	ID                        string                 `json:"id"`
	Name                      string                 `json:"name"`
	Description               string                 `json:"description,omitempty"`
	Version                   string                 `json:"version,omitempty"`
	CreatedDate               int64                  `json:"createdDate"`
	APIKeySource              string                 `json:"apiKeySource,omitempty"`
	BinaryMediaTypes          []string               `json:"binaryMediaTypes,omitempty"`
	EndpointConfiguration     *EndpointConfiguration `json:"endpointConfiguration,omitempty"`
	DisableExecuteAPIEndpoint bool                   `json:"disableExecuteApiEndpoint"`
	Policy                    string                 `json:"policy,omitempty"`
	Tags                      map[string]string      `json:"tags,omitempty"`
	RootResourceID            string                 `json:"rootResourceId"`
	// Warnings is filled only on Import/PutRestApi responses.
	Warnings []string `json:"warnings,omitempty"`
}

// EndpointConfiguration is the API's endpoint type (REGIONAL, EDGE, PRIVATE).
type EndpointConfiguration struct {
	Types []string `json:"types,omitempty"`
}

// Resource is a path segment of an API. Methods is keyed by HTTP verb
// (GET, POST, ..., ANY).
type Resource struct {
	ID       string             `json:"id"`
	ParentID string             `json:"parentId,omitempty"`
	PathPart string             `json:"pathPart,omitempty"`
	Path     string             `json:"path"`
	Methods  map[string]*Method `json:"resourceMethods,omitempty"`
}

// Method is a verb on a resource with its authorization and integration.
type Method struct {
	HTTPMethod          string                     `json:"httpMethod"`
	AuthorizationType   string                     `json:"authorizationType"`
	AuthorizerID        string                     `json:"authorizerId,omitempty"`
	AuthorizationScopes []string                   `json:"authorizationScopes,omitempty"`
	APIKeyRequired      bool                       `json:"apiKeyRequired"`
	OperationName       string                     `json:"operationName,omitempty"`
	RequestValidatorID  string                     `json:"requestValidatorId,omitempty"`
	RequestParameters   map[string]bool            `json:"requestParameters,omitempty"`
	RequestModels       map[string]string          `json:"requestModels,omitempty"`
	MethodResponses     map[string]*MethodResponse `json:"methodResponses,omitempty"`
	Integration         *Integration               `json:"methodIntegration,omitempty"`
}

// MethodResponse declares a status code a method may answer with.
type MethodResponse struct {
	StatusCode         string            `json:"statusCode"`
	ResponseParameters map[string]bool   `json:"responseParameters,omitempty"`
	ResponseModels     map[string]string `json:"responseModels,omitempty"`
}

// Integration is a method's backend. HTTPMethod is the backend verb (the Go
// SDK's IntegrationHttpMethod, JSON "httpMethod").
type Integration struct {
	Type                 string                          `json:"type"`
	HTTPMethod           string                          `json:"httpMethod,omitempty"`
	URI                  string                          `json:"uri,omitempty"`
	ConnectionType       string                          `json:"connectionType,omitempty"`
	ConnectionID         string                          `json:"connectionId,omitempty"`
	Credentials          string                          `json:"credentials,omitempty"`
	RequestParameters    map[string]string               `json:"requestParameters,omitempty"`
	RequestTemplates     map[string]string               `json:"requestTemplates,omitempty"`
	PassthroughBehavior  string                          `json:"passthroughBehavior,omitempty"`
	ContentHandling      string                          `json:"contentHandling,omitempty"`
	TimeoutInMillis      int32                           `json:"timeoutInMillis"`
	CacheNamespace       string                          `json:"cacheNamespace,omitempty"`
	CacheKeyParameters   []string                        `json:"cacheKeyParameters,omitempty"`
	IntegrationResponses map[string]*IntegrationResponse `json:"integrationResponses,omitempty"`
	TLSConfig            *TLSConfig                      `json:"tlsConfig,omitempty"`
}

// MarshalJSON writes cacheKeyParameters as [] when there are none: AWS
// always sends the list (the AWS CLI's get-integration example shows
// "cacheKeyParameters": []), and the Terraform provider reads it back as an
// empty set either way.
func (in Integration) MarshalJSON() ([]byte, error) {
	type plain Integration
	out := struct {
		plain
		CacheKeyParameters []string `json:"cacheKeyParameters"`
	}{plain: plain(in), CacheKeyParameters: in.CacheKeyParameters}
	if out.CacheKeyParameters == nil {
		out.CacheKeyParameters = []string{}
	}
	return json.Marshal(out)
}

// TLSConfig is the integration's TLS setting.
type TLSConfig struct {
	InsecureSkipVerification bool `json:"insecureSkipVerification"`
}

// IntegrationResponse maps backend answers (by SelectionPattern; "" is the
// default) to a method response status.
type IntegrationResponse struct {
	StatusCode         string            `json:"statusCode"`
	SelectionPattern   string            `json:"selectionPattern,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
	ContentHandling    string            `json:"contentHandling,omitempty"`
}

// Authorizer is a Cognito or Lambda authorizer. ResultTTL is nil when the
// authorizer was created without one (AWS then omits the field and applies
// 300 seconds).
type Authorizer struct {
	ID                           string   `json:"id"`
	Name                         string   `json:"name"`
	Type                         string   `json:"type"`
	ProviderARNs                 []string `json:"providerARNs,omitempty"`
	AuthType                     string   `json:"authType,omitempty"`
	AuthorizerURI                string   `json:"authorizerUri,omitempty"`
	AuthorizerCredentials        string   `json:"authorizerCredentials,omitempty"`
	IdentitySource               string   `json:"identitySource,omitempty"`
	IdentityValidationExpression string   `json:"identityValidationExpression,omitempty"`
	ResultTTL                    *int32   `json:"authorizerResultTtlInSeconds,omitempty"`
}

// TTLSeconds is the effective result-cache TTL (300 when unset).
func (a *Authorizer) TTLSeconds() int {
	if a.ResultTTL == nil {
		return 300
	}
	return int(*a.ResultTTL)
}

// GatewayResponse customizes an answer API Gateway generates itself.
// DefaultResponse is true for the built-in ones GetGatewayResponses lists.
type GatewayResponse struct {
	ResponseType       string            `json:"responseType"`
	StatusCode         string            `json:"statusCode,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
	DefaultResponse    bool              `json:"defaultResponse"`
}

// Deployment is an immutable snapshot of an API's configuration.
type Deployment struct {
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
	CreatedDate int64  `json:"createdDate"`
	// Snapshot is stored in the state file but never sent on the wire.
	Snapshot *Snapshot `json:"snapshot"`
}

// Stage is a named pointer to a deployment, with stage variables.
type Stage struct {
	StageName           string                    `json:"stageName"`
	DeploymentID        string                    `json:"deploymentId"`
	Description         string                    `json:"description,omitempty"`
	Variables           map[string]string         `json:"variables,omitempty"`
	TracingEnabled      bool                      `json:"tracingEnabled"`
	CacheClusterEnabled bool                      `json:"cacheClusterEnabled"`
	CacheClusterSize    string                    `json:"cacheClusterSize,omitempty"`
	CacheClusterStatus  string                    `json:"cacheClusterStatus,omitempty"`
	MethodSettings      map[string]MethodSettings `json:"methodSettings"`
	Tags                map[string]string         `json:"tags,omitempty"`
	CreatedDate         int64                     `json:"createdDate"`
	LastUpdatedDate     int64                     `json:"lastUpdatedDate"`
}

// MethodSettings are per-method stage settings ("resource/verb" keys,
// "*/*" for all).
type MethodSettings struct {
	MetricsEnabled       bool    `json:"metricsEnabled"`
	LoggingLevel         string  `json:"loggingLevel,omitempty"`
	DataTraceEnabled     bool    `json:"dataTraceEnabled"`
	ThrottlingBurstLimit int32   `json:"throttlingBurstLimit"`
	ThrottlingRateLimit  float64 `json:"throttlingRateLimit"`
	CachingEnabled       bool    `json:"cachingEnabled"`
}

// Snapshot is what a deployment captured: the whole working configuration at
// CreateDeployment time. It is a deep copy and is never modified.
type Snapshot struct {
	APIID string `json:"apiId"`
	Name  string `json:"name"`
	// Resources in creation order; the root ("/") is first.
	Resources   []*Resource   `json:"resources"`
	Authorizers []*Authorizer `json:"authorizers,omitempty"`
	// GatewayResponses holds only the customized (PutGatewayResponse)
	// responses, keyed by type; see EffectiveGatewayResponse.
	GatewayResponses map[string]*GatewayResponse `json:"gatewayResponses,omitempty"`
}

// Authorizer returns the authorizer with id, or nil.
func (s *Snapshot) Authorizer(id string) *Authorizer {
	for _, a := range s.Authorizers {
		if a.ID == id {
			return a
		}
	}
	return nil
}

// ResourceByPath returns the resource whose path is exactly path
// ("/items/{id}"), or nil.
func (s *Snapshot) ResourceByPath(path string) *Resource {
	for _, r := range s.Resources {
		if r.Path == path {
			return r
		}
	}
	return nil
}

// EffectiveGatewayResponse is what API Gateway answers for responseType: the
// customized response when there is one; otherwise the type's default status
// with the parameters and templates of a customized DEFAULT_4XX/DEFAULT_5XX
// (matching the status class), else the built-in template
// {"message":$context.error.messageString}. Unknown types yield nil.
func (s *Snapshot) EffectiveGatewayResponse(responseType string) *GatewayResponse {
	status, ok := DefaultGatewayResponseStatus[responseType]
	if !ok {
		return nil
	}
	if gr := s.GatewayResponses[responseType]; gr != nil {
		out := cloneGatewayResponse(gr)
		if out.StatusCode == "" {
			out.StatusCode = status
		}
		return out
	}
	out := &GatewayResponse{ResponseType: responseType, StatusCode: status, DefaultResponse: true,
		ResponseTemplates: map[string]string{"application/json": DefaultGatewayResponseTemplate}}
	class := "DEFAULT_4XX"
	if strings.HasPrefix(status, "5") {
		class = "DEFAULT_5XX"
	}
	if d := s.GatewayResponses[class]; d != nil {
		out.DefaultResponse = false
		if d.ResponseParameters != nil {
			out.ResponseParameters = cloneMap(d.ResponseParameters)
		}
		if d.ResponseTemplates != nil {
			out.ResponseTemplates = cloneMap(d.ResponseTemplates)
		}
		if responseType == class && d.StatusCode != "" {
			out.StatusCode = d.StatusCode
		}
	}
	return out
}

// DefaultGatewayResponseTemplate is the body API Gateway's built-in gateway
// responses use.
const DefaultGatewayResponseTemplate = `{"message":$context.error.messageString}`

// DefaultGatewayResponseStatus is every gateway response type with its
// default status code (developer guide, supported-gateway-response-types).
var DefaultGatewayResponseStatus = map[string]string{
	"ACCESS_DENIED":                  "403",
	"API_CONFIGURATION_ERROR":        "500",
	"AUTHORIZER_CONFIGURATION_ERROR": "500",
	"AUTHORIZER_FAILURE":             "500",
	"BAD_REQUEST_PARAMETERS":         "400",
	"BAD_REQUEST_BODY":               "400",
	"DEFAULT_4XX":                    "",
	"DEFAULT_5XX":                    "",
	"EXPIRED_TOKEN":                  "403",
	"INTEGRATION_FAILURE":            "504",
	"INTEGRATION_TIMEOUT":            "504",
	"INVALID_API_KEY":                "403",
	"INVALID_SIGNATURE":              "403",
	"MISSING_AUTHENTICATION_TOKEN":   "403",
	"QUOTA_EXCEEDED":                 "429",
	"REQUEST_TOO_LARGE":              "413",
	"RESOURCE_NOT_FOUND":             "404",
	"THROTTLED":                      "429",
	"UNAUTHORIZED":                   "401",
	"UNSUPPORTED_MEDIA_TYPE":         "415",
	"WAF_FILTERED":                   "403",
}

// gatewayResponseTypes lists the types in the order GetGatewayResponses
// returns them.
func gatewayResponseTypes() []string {
	out := make([]string, 0, len(DefaultGatewayResponseStatus))
	for t := range DefaultGatewayResponseStatus {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// StageSnapshot returns the snapshot of the deployment that stage points
// at, and a copy of the stage. ok is false when the API or stage does not
// exist. The snapshot is shared and immutable: read it, never write it.
func (e *Emulator) StageSnapshot(apiID, stage string) (snap *Snapshot, st *Stage, ok bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a := e.apis[apiID]
	if a == nil {
		return nil, nil, false
	}
	s := a.Stages[stage]
	if s == nil {
		return nil, nil, false
	}
	d := a.Deployments[s.DeploymentID]
	if d == nil || d.Snapshot == nil {
		return nil, nil, false
	}
	return d.Snapshot, cloneStage(s), true
}

// StageRef names one deployed stage.
type StageRef struct {
	APIID   string
	APIName string
	Stage   string
}

// Stages lists every stage, by API name then stage name.
func (e *Emulator) Stages() []StageRef {
	e.mu.RLock()
	defer e.mu.RUnlock()
	var out []StageRef
	for _, a := range e.apis {
		for name := range a.Stages {
			out = append(out, StageRef{APIID: a.RestApi.ID, APIName: a.RestApi.Name, Stage: name})
		}
	}
	// HTTP API stages are invoked at the same path form.
	for _, a := range e.httpAPIs {
		for name := range a.Stages {
			out = append(out, StageRef{APIID: a.API.APIID, APIName: a.API.Name, Stage: name})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].APIName != out[j].APIName {
			return out[i].APIName < out[j].APIName
		}
		if out[i].APIID != out[j].APIID {
			return out[i].APIID < out[j].APIID
		}
		return out[i].Stage < out[j].Stage
	})
	return out
}
