package probe

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Class is what an answer proves about the request that got it, read from
// status, headers and body as docs/api-gateway-facts.md (Data-plane answers) lays them out.
type Class string

// Classes of answer.
const (
	// ClassUnauthorized: 401, the Cognito authorizer refused the request
	// ({"message":"Unauthorized"} or "The incoming token has expired").
	ClassUnauthorized Class = "unauthorized"
	// ClassNotDeployed: 403 {"message":"Missing Authentication Token"}, the
	// stage has no such path or verb (or an unsigned AWS_IAM method).
	ClassNotDeployed Class = "not-deployed"
	// ClassDenied: any other 403: a resource policy, WAF, or an API key
	// refused the request before or instead of the authorizer.
	ClassDenied Class = "denied"
	// ClassThrottled: 429, the gateway throttled the request; it proves
	// nothing about authorization.
	ClassThrottled Class = "throttled"
	// ClassAuthorizerError: a 5xx the gateway itself wrote because the
	// authorizer failed or is misconfigured.
	ClassAuthorizerError Class = "authorizer-error"
	// ClassReached: anything else: the request got past authorization to
	// the integration (2xx, 3xx, a backend's 404, an integration's 5xx).
	ClassReached Class = "reached"
	// ClassNetwork: no answer at all (refused connection, timeout) after
	// the retries.
	ClassNetwork Class = "network-error"
	// ClassNotGateway: an answer, but not API Gateway's (see FromGateway):
	// something else is listening at the URL, so the answer proves nothing
	// about the stage.
	ClassNotGateway Class = "not-api-gateway"
	// ClassForbidden: an HTTP API's 403 {"message":"Forbidden"}, its JWT
	// authorizer's answer to a valid token without the route's scopes
	// (only the v2 probe classifies an answer so).
	ClassForbidden Class = "forbidden"
)

// Answer is one HTTP exchange's outcome.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
	// Err is set when no answer arrived.
	Err error
}

// Messages API Gateway writes, compared case-insensitively.
const (
	msgMissingToken = "missing authentication token"
	msgExpired      = "the incoming token has expired"
)

// Classify reads one answer.
func Classify(a Answer) Class {
	if a.Err != nil || a.Status == 0 {
		return ClassNetwork
	}
	if !FromGateway(a) {
		return ClassNotGateway
	}
	errType := strings.ToLower(a.Header.Get("X-Amzn-ErrorType"))
	msg := strings.ToLower(Message(a.Body))
	switch {
	case a.Status == http.StatusUnauthorized && a.Header.Get("X-Amzn-Remapped-WWW-Authenticate") != "":
		// The gateway renames a backend's WWW-Authenticate: this 401 came
		// from the integration, so the request got through
		// [DG:api-gateway-known-issues].
		return ClassReached
	case a.Status == http.StatusUnauthorized:
		return ClassUnauthorized
	case a.Status == http.StatusForbidden:
		if strings.HasPrefix(errType, "missingauthenticationtokenexception") || msg == msgMissingToken {
			return ClassNotDeployed
		}
		return ClassDenied
	case a.Status == http.StatusTooManyRequests:
		return ClassThrottled
	case a.Status >= 500:
		// AUTHORIZER_FAILURE and AUTHORIZER_CONFIGURATION_ERROR are 500s
		// written by the gateway; their exact type and body are not in the
		// reference, so any gateway error type or message naming the
		// authorizer counts (inf.). Other 5xx come from the integration,
		// which only runs once authorization passed.
		if strings.Contains(errType, "authorizer") || strings.Contains(msg, "authorizer") {
			return ClassAuthorizerError
		}
	}
	return ClassReached
}

// FromGateway reports whether an answer came from API Gateway rather than
// from whatever else listens at the URL (a control plane without a data
// plane, such as moto's, answers S3's XML 404; a web server answers an HTML
// page). API Gateway marks every answer with x-amz-apigw-id, and its own
// errors with x-amzn-ErrorType [DG:api-gateway-known-issues]; without
// those, an HTML or XML page is not its answer, and neither is a 404 or
// 5xx whose body is not its {"message": ...} shape. Other answers without
// the marks are taken as reached: a proxy in front may strip headers, and
// a 2xx or 401 is what a stage answers.
func FromGateway(a Answer) bool {
	if a.Header.Get("X-Amz-Apigw-Id") != "" || a.Header.Get("X-Amzn-ErrorType") != "" {
		return true
	}
	ct := strings.ToLower(a.Header.Get("Content-Type"))
	if strings.Contains(ct, "html") || strings.Contains(ct, "xml") {
		return false
	}
	if a.Status == http.StatusNotFound || a.Status >= 500 {
		return hasMessage(a.Body)
	}
	return true
}

// hasMessage reports whether body is a JSON object with a message key.
func hasMessage(body []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil {
		return false
	}
	for k := range m {
		if strings.EqualFold(k, "message") {
			return true
		}
	}
	return false
}

// Expired reports whether a 401 carries API Gateway's expired-token message.
func Expired(a Answer) bool {
	return a.Status == http.StatusUnauthorized && strings.EqualFold(Message(a.Body), msgExpired)
}

// Message is the "message" of a JSON error body. API Gateway writes
// "message"; older pages and some gateway responses write "Message", so the
// key is matched case-insensitively. A body that is not a JSON object gives
// its trimmed text (at most 200 bytes).
func Message(body []byte) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err == nil {
		for k, v := range m {
			if strings.EqualFold(k, "message") {
				var s string
				if json.Unmarshal(v, &s) == nil {
					return s
				}
			}
		}
		return ""
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// HasCORS reports whether an answer carries Access-Control-Allow-Origin
// that admits origin.
func HasCORS(h http.Header, origin string) bool {
	v := h.Get("Access-Control-Allow-Origin")
	return v == "*" || (v != "" && v == origin)
}
