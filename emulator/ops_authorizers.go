package emulator

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var userPoolARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:\d{12}:userpool/[a-z0-9-]+_[0-9a-zA-Z]+$`)

var authorizerTypes = map[string]bool{"TOKEN": true, "REQUEST": true, "COGNITO_USER_POOLS": true}

// checkAuthorizer enforces what CreateAuthorizer and UpdateAuthorizer
// require.
func checkAuthorizer(az *Authorizer) *apiError {
	if strings.TrimSpace(az.Name) == "" {
		return badRequest("Authorizer name must be non-empty")
	}
	if !authorizerTypes[az.Type] {
		return badRequest("Invalid authorizer type specified. Valid options are TOKEN,REQUEST,COGNITO_USER_POOLS")
	}
	if az.ResultTTL != nil && (*az.ResultTTL < 0 || *az.ResultTTL > 3600) {
		return badRequest("Invalid value for authorizerResultTtlInSeconds: %d. Must be between 0 and 3600", *az.ResultTTL)
	}
	switch az.Type {
	case "COGNITO_USER_POOLS":
		if len(az.ProviderARNs) == 0 {
			return badRequest("ProviderARNs is required for authorizer type COGNITO_USER_POOLS and cannot be empty")
		}
		for _, arn := range az.ProviderARNs {
			if !userPoolARNRE.MatchString(arn) {
				return badRequest("Invalid provider ARN specified: %s", arn)
			}
		}
		if !strings.HasPrefix(az.IdentitySource, "method.request.header.") || len(az.IdentitySource) == len("method.request.header.") {
			return badRequest("Invalid identity source specified: '%s'. It must be of the form method.request.header.NAME", az.IdentitySource)
		}
		if az.IdentityValidationExpression != "" {
			if _, err := regexp.Compile(az.IdentityValidationExpression); err != nil {
				return badRequest("Invalid identity validation expression specified: %s", az.IdentityValidationExpression)
			}
		}
	default:
		if az.AuthorizerURI == "" {
			return badRequest("AuthorizerUri is required for authorizer type %s", az.Type)
		}
		if az.Type == "TOKEN" && az.IdentitySource == "" {
			return badRequest("IdentitySource is required for authorizer type TOKEN")
		}
	}
	return nil
}

func (a *apiState) newAuthorizerID() string {
	for {
		id := newID(6)
		if a.authorizer(id) == nil {
			return id
		}
	}
}

// addAuthorizer validates az, enforces the quota, assigns an id and
// stores it.
func (e *Emulator) addAuthorizer(a *apiState, az *Authorizer) *apiError {
	if az.Type == "COGNITO_USER_POOLS" {
		if az.AuthType == "" {
			az.AuthType = "cognito_user_pools"
		}
		// CreateAuthorizer drops credentials for Cognito (terraform-provider-aws#16613).
		az.AuthorizerCredentials = ""
	}
	if err := checkAuthorizer(az); err != nil {
		return err
	}
	if len(a.Authorizers) >= e.limits.AuthorizersPerAPI {
		return limitExceeded("Maximum number of Authorizers for this API has been reached: %d", e.limits.AuthorizersPerAPI)
	}
	az.ID = a.newAuthorizerID()
	a.Authorizers = append(a.Authorizers, az)
	return nil
}

func opCreateAuthorizer(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	var in Authorizer
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	az := cloneAuthorizer(&in)
	if err := e.addAuthorizer(a, az); err != nil {
		return nil, err
	}
	return created(az)
}

func opGetAuthorizers(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	c, err := page(q, a.Authorizers)
	if err != nil {
		return nil, err
	}
	return ok(c)
}

func (e *Emulator) authorizerOf(q *req) (*apiState, *Authorizer, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, nil, err
	}
	az := a.authorizer(q.params[1])
	if az == nil {
		return nil, nil, notFound("Invalid Authorizer identifier specified")
	}
	return a, az, nil
}

func opGetAuthorizer(e *Emulator, q *req) (*reply, *apiError) {
	_, az, err := e.authorizerOf(q)
	if err != nil {
		return nil, err
	}
	return ok(az)
}

func opUpdateAuthorizer(e *Emulator, q *req) (*reply, *apiError) {
	a, az, err := e.authorizerOf(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneAuthorizer(az)
	for _, op := range ops {
		switch {
		case op.is("replace", "/name"):
			n.Name = op.Value
		case op.is("replace", "/type"):
			n.Type = op.Value
		case op.is("replace", "/authorizerUri"):
			n.AuthorizerURI = op.Value
		case op.is("replace", "/authorizerCredentials"):
			n.AuthorizerCredentials = op.Value
		case op.is("replace", "/authType"):
			n.AuthType = op.Value
		case op.is("replace", "/identityValidationExpression"):
			n.IdentityValidationExpression = op.Value
		case op.is("replace", "/authorizerResultTtlInSeconds"):
			v, err := strconv.ParseInt(op.Value, 10, 32)
			if err != nil {
				return nil, badRequest("Invalid value for authorizerResultTtlInSeconds: %s", op.Value)
			}
			t := int32(v)
			n.ResultTTL = &t
		case op.is("add", "/identitySource"), op.is("replace", "/identitySource"):
			n.IdentitySource = op.Value
		case op.is("remove", "/identitySource"):
			n.IdentitySource = ""
		case op.is("add", "/providerARNs"):
			if !slices.Contains(n.ProviderARNs, op.Value) {
				n.ProviderARNs = append(n.ProviderARNs, op.Value)
			}
		case op.is("remove", "/providerARNs"):
			if !slices.Contains(n.ProviderARNs, op.Value) {
				return nil, badRequest("Provider ARN %s is not in the authorizer's providerARNs", op.Value)
			}
			n.ProviderARNs = remove(n.ProviderARNs, op.Value)
		default:
			return nil, op.invalid()
		}
	}
	if len(n.ProviderARNs) == 0 {
		n.ProviderARNs = nil
	}
	if err := checkAuthorizer(n); err != nil {
		return nil, err
	}
	for i, x := range a.Authorizers {
		if x == az {
			a.Authorizers[i] = n
		}
	}
	return ok(n)
}

func opDeleteAuthorizer(e *Emulator, q *req) (*reply, *apiError) {
	a, az, err := e.authorizerOf(q)
	if err != nil {
		return nil, err
	}
	for _, r := range a.Resources {
		for _, verb := range sortedVerbs(r) {
			m := r.Methods[verb]
			if m.AuthorizerID == az.ID && (m.AuthorizationType == "COGNITO_USER_POOLS" || m.AuthorizationType == "CUSTOM") {
				return nil, conflict("Cannot delete authorizer '%s', is referenced in method: %s %s", az.Name, verb, r.Path)
			}
		}
	}
	a.Authorizers = removeAuthorizer(a.Authorizers, az)
	return accepted()
}

func removeAuthorizer(list []*Authorizer, az *Authorizer) []*Authorizer {
	out := list[:0:0]
	for _, x := range list {
		if x != az {
			out = append(out, x)
		}
	}
	return out
}
