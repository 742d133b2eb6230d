package emulator

// This file is the HTTP API (API Gateway v2) side of the contract in
// state.go: the wire shapes the control plane stores and answers with, and
// the immutable snapshot a v2 deployment captures for the data plane
// (v2_dataplane.go). JSON tags are the apigatewayv2 wire names
// (aws-sdk-go-v2/service/apigatewayv2 deserializers), the same in the state
// file.

import (
	"sort"
	"strings"

	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

// HTTPAPI is one HTTP API's top-level record (GetApi's shape).
type HTTPAPI struct {
	APIID                     string            `json:"apiId"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression"`
	APIEndpoint               string            `json:"apiEndpoint"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CreatedDate               string            `json:"createdDate"`
	Description               string            `json:"description,omitempty"`
	Version                   string            `json:"version,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	DisableSchemaValidation   bool              `json:"disableSchemaValidation,omitempty"`
	IPAddressType             string            `json:"ipAddressType"`
	Tags                      map[string]string `json:"tags"`
	Warnings                  []string          `json:"warnings,omitempty"`
}

// Cors is an HTTP API's CORS configuration, which the gateway itself
// answers preflights from.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int32   `json:"maxAge,omitempty"`
}

// JWTConfiguration is a JWT authorizer's issuer and audiences.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   string   `json:"issuer,omitempty"`
}

// HTTPAuthorizer is a JWT or Lambda (REQUEST) authorizer of an HTTP API.
type HTTPAuthorizer struct {
	AuthorizerID                   string            `json:"authorizerId"`
	Name                           string            `json:"name"`
	AuthorizerType                 string            `json:"authorizerType"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	AuthorizerURI                  string            `json:"authorizerUri,omitempty"`
	AuthorizerCredentialsArn       string            `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerPayloadFormatVersion string            `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   *int32            `json:"authorizerResultTtlInSeconds,omitempty"`
	EnableSimpleResponses          bool              `json:"enableSimpleResponses,omitempty"`
	IdentityValidationExpression   string            `json:"identityValidationExpression,omitempty"`
}

// HTTPRoute is one route key ("GET /items/{id}", "ANY /{proxy+}",
// "$default") with its authorization and target.
type HTTPRoute struct {
	RouteID             string   `json:"routeId"`
	RouteKey            string   `json:"routeKey"`
	APIKeyRequired      bool     `json:"apiKeyRequired"`
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	AuthorizationType   string   `json:"authorizationType"`
	AuthorizerID        string   `json:"authorizerId,omitempty"`
	OperationName       string   `json:"operationName,omitempty"`
	// Target is "integrations/{integrationId}" or empty.
	Target            string          `json:"target,omitempty"`
	RequestParameters map[string]bool `json:"-"`
}

// HTTPIntegration is a route's backend: AWS_PROXY (Lambda, payload 1.0 or
// 2.0) or HTTP_PROXY.
type HTTPIntegration struct {
	IntegrationID        string                       `json:"integrationId"`
	IntegrationType      string                       `json:"integrationType"`
	IntegrationMethod    string                       `json:"integrationMethod,omitempty"`
	IntegrationURI       string                       `json:"integrationUri,omitempty"`
	IntegrationSubtype   string                       `json:"integrationSubtype,omitempty"`
	PayloadFormatVersion string                       `json:"payloadFormatVersion,omitempty"`
	ConnectionType       string                       `json:"connectionType,omitempty"`
	ConnectionID         string                       `json:"connectionId,omitempty"`
	CredentialsArn       string                       `json:"credentialsArn,omitempty"`
	Description          string                       `json:"description,omitempty"`
	TimeoutInMillis      int32                        `json:"timeoutInMillis"`
	RequestParameters    map[string]string            `json:"requestParameters,omitempty"`
	ResponseParameters   map[string]map[string]string `json:"responseParameters,omitempty"`
	TLSConfig            *struct {
		ServerNameToVerify string `json:"serverNameToVerify,omitempty"`
	} `json:"tlsConfig,omitempty"`
}

// HTTPStage is a named pointer to a deployment. With AutoDeploy, every
// change to the API deploys to it at once.
type HTTPStage struct {
	StageName                   string            `json:"stageName"`
	AutoDeploy                  bool              `json:"autoDeploy"`
	DeploymentID                string            `json:"deploymentId,omitempty"`
	Description                 string            `json:"description,omitempty"`
	StageVariables              map[string]string `json:"stageVariables,omitempty"`
	DefaultRouteSettings        *RouteSettings    `json:"defaultRouteSettings,omitempty"`
	RouteSettings               map[string]any    `json:"routeSettings,omitempty"`
	AccessLogSettings           map[string]any    `json:"accessLogSettings,omitempty"`
	ClientCertificateID         string            `json:"clientCertificateId,omitempty"`
	LastDeploymentStatusMessage string            `json:"lastDeploymentStatusMessage,omitempty"`
	Tags                        map[string]string `json:"tags"`
	CreatedDate                 string            `json:"createdDate"`
	LastUpdatedDate             string            `json:"lastUpdatedDate"`
}

// RouteSettings are a stage's default per-route settings.
type RouteSettings struct {
	DataTraceEnabled       bool    `json:"dataTraceEnabled"`
	DetailedMetricsEnabled bool    `json:"detailedMetricsEnabled"`
	LoggingLevel           string  `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   int32   `json:"throttlingBurstLimit"`
	ThrottlingRateLimit    float64 `json:"throttlingRateLimit"`
}

// HTTPDeployment is an immutable snapshot of an HTTP API.
type HTTPDeployment struct {
	DeploymentID     string `json:"deploymentId"`
	AutoDeployed     bool   `json:"autoDeployed"`
	CreatedDate      string `json:"createdDate"`
	DeploymentStatus string `json:"deploymentStatus"`
	Description      string `json:"description,omitempty"`
	// Snapshot is stored in the state file but never sent on the wire.
	Snapshot *HTTPSnapshot `json:"snapshot,omitempty"`
}

// HTTPSnapshot is what a v2 deployment captured. It is a deep copy and is
// never modified, so the data plane reads it without a lock.
type HTTPSnapshot struct {
	APIID        string             `json:"apiId"`
	Name         string             `json:"name"`
	Cors         *Cors              `json:"cors,omitempty"`
	Routes       []*HTTPRoute       `json:"routes"`
	Authorizers  []*HTTPAuthorizer  `json:"authorizers,omitempty"`
	Integrations []*HTTPIntegration `json:"integrations,omitempty"`
}

// Authorizer returns the authorizer with id, or nil.
func (s *HTTPSnapshot) Authorizer(id string) *HTTPAuthorizer {
	for _, a := range s.Authorizers {
		if a.AuthorizerID == id {
			return a
		}
	}
	return nil
}

// Integration returns the integration a route's target names, or nil.
func (s *HTTPSnapshot) Integration(target string) *HTTPIntegration {
	id, ok := strings.CutPrefix(target, "integrations/")
	if !ok {
		return nil
	}
	for _, in := range s.Integrations {
		if in.IntegrationID == id {
			return in
		}
	}
	return nil
}

// httpAPIState is one HTTP API with everything under it, in creation order.
type httpAPIState struct {
	Region       string                     `json:"region,omitempty"`
	API          HTTPAPI                    `json:"api"`
	Authorizers  []*HTTPAuthorizer          `json:"authorizers"`
	Routes       []*HTTPRoute               `json:"routes"`
	Integrations []*HTTPIntegration         `json:"integrations"`
	Deployments  map[string]*HTTPDeployment `json:"deployments"`
	Stages       map[string]*HTTPStage      `json:"stages"`
}

func (a *httpAPIState) fill() {
	if a.Deployments == nil {
		a.Deployments = map[string]*HTTPDeployment{}
	}
	if a.Stages == nil {
		a.Stages = map[string]*HTTPStage{}
	}
}

// snapshot deep-copies the working configuration.
func (a *httpAPIState) snapshot() *HTTPSnapshot {
	s := &HTTPSnapshot{APIID: a.API.APIID, Name: a.API.Name, Cors: cloneCors(a.API.CorsConfiguration)}
	for _, r := range a.Routes {
		c := *r
		c.AuthorizationScopes = cloneSlice(r.AuthorizationScopes)
		s.Routes = append(s.Routes, &c)
	}
	for _, az := range a.Authorizers {
		c := *az
		c.IdentitySource = cloneSlice(az.IdentitySource)
		if az.JWTConfiguration != nil {
			j := *az.JWTConfiguration
			j.Audience = cloneSlice(j.Audience)
			c.JWTConfiguration = &j
		}
		s.Authorizers = append(s.Authorizers, &c)
	}
	for _, in := range a.Integrations {
		c := *in
		c.RequestParameters = cloneMap(in.RequestParameters)
		s.Integrations = append(s.Integrations, &c)
	}
	return s
}

func cloneCors(c *Cors) *Cors {
	if c == nil {
		return nil
	}
	out := *c
	out.AllowHeaders = cloneSlice(c.AllowHeaders)
	out.AllowMethods = cloneSlice(c.AllowMethods)
	out.AllowOrigins = cloneSlice(c.AllowOrigins)
	out.ExposeHeaders = cloneSlice(c.ExposeHeaders)
	return &out
}

// HTTPStageSnapshot returns the snapshot the HTTP API stage's deployment
// captured and a copy of the stage; ok is false when there is no such
// deployed stage. The snapshot is shared and immutable.
func (e *Emulator) HTTPStageSnapshot(apiID, stage string) (snap *HTTPSnapshot, st *HTTPStage, ok bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a := e.httpAPIs[apiID]
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
	c := *s
	return d.Snapshot, &c, true
}

// isHTTPAPI reports whether id names an HTTP API (the data plane's
// dispatch between v1 and v2).
func (e *Emulator) isHTTPAPI(id string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.httpAPIs[id] != nil
}

// httpStageNames lists an HTTP API's stage names, sorted.
func (e *Emulator) httpStageNames(id string) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	a := e.httpAPIs[id]
	if a == nil {
		return nil
	}
	out := make([]string, 0, len(a.Stages))
	for n := range a.Stages {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// The enums are the SDK's (aws-sdk-go-v2/service/apigatewayv2/types), so
// the emulator answers with exactly the values the SDK and Terraform expect.
var (
	v2AuthNone             = string(v2types.AuthorizationTypeNone)
	v2AuthJWT              = string(v2types.AuthorizationTypeJwt)
	v2AuthIAM              = string(v2types.AuthorizationTypeAwsIam)
	v2AuthCustom           = string(v2types.AuthorizationTypeCustom)
	v2AuthorizerJWT        = string(v2types.AuthorizerTypeJwt)
	v2AuthorizerRequest    = string(v2types.AuthorizerTypeRequest)
	v2IntegrationAWSProxy  = string(v2types.IntegrationTypeAwsProxy)
	v2IntegrationHTTPProxy = string(v2types.IntegrationTypeHttpProxy)
	v2IntegrationMock      = string(v2types.IntegrationTypeMock)
	v2ProtocolHTTP         = string(v2types.ProtocolTypeHttp)
	v2ProtocolWebSocket    = string(v2types.ProtocolTypeWebsocket)
	v2Deployed             = string(v2types.DeploymentStatusDeployed)
)

// DefaultStage is the stage served at the API's root (no stage segment in
// the invoke URL).
const DefaultStage = "$default"

// DefaultRoute is the catch-all route key.
const DefaultRoute = "$default"
