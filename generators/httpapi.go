package generators

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// UnsupportedError is a target's refusal to write an API it cannot express
// (Swagger 2.0 for an HTTP API). Callers that check every target treat it
// as "skipped, for this reason" rather than a failure. The message leaves
// the target out: callers name it.
type UnsupportedError struct {
	Target, API, Reason string
}

func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("api %q: %s", e.API, e.Reason)
}

// PickHTTPStage is restapi.PickStage for HTTP APIs: the named stage, or the
// first described ("" and no stages gives nil).
func PickHTTPStage(a *spec.HTTPAPI, name string) (*spec.HTTPStage, error) {
	if name == "" {
		if len(a.Stages) == 0 {
			return nil, nil
		}
		return a.Stages[0], nil
	}
	if s := a.Stage(name); s != nil {
		return s, nil
	}
	var names []string
	for _, s := range a.Stages {
		names = append(names, s.Name)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("http_api %q describes no stages, so --stage %q cannot be chosen", a.Name, name)
	}
	return nil, fmt.Errorf("http_api %q has no stage %q (it has %s)", a.Name, name, strings.Join(names, ", "))
}

// HTTPStageName is the stage an HTTP API output deploys: the chosen one,
// else $default with auto-deploy (HTTPStageAutoDeploy), the shape the
// console and every framework create.
func HTTPStageName(s *spec.HTTPStage) string {
	if s == nil {
		return spec.DefaultStageName
	}
	return s.Name
}

// HTTPStageAutoDeploy is whether the deployed stage deploys itself.
func HTTPStageAutoDeploy(s *spec.HTTPStage) bool { return s == nil || s.AutoDeploy }

// ExistingHTTPStagesNote says what an output for an existing API does with
// its stages, for the output's description or header.
func ExistingHTTPStagesNote(a *spec.HTTPAPI, stages []*spec.HTTPStage) string {
	var auto, manual []string
	for _, s := range stages {
		if s.AutoDeploy {
			auto = append(auto, s.Name)
		} else {
			manual = append(manual, s.Name)
		}
	}
	var parts []string
	if len(auto) > 0 {
		parts = append(parts, "the routes go live on its auto-deploying stage "+strings.Join(auto, ", ")+" as they are created")
	}
	if len(manual) > 0 {
		parts = append(parts, "a deployment points its stage "+strings.Join(manual, ", ")+" at them")
	}
	if len(parts) == 0 {
		return "The existing API " + a.APIID + " keeps its stages and none is described: the routes are live at once on an auto-deploying stage, else after the next deployment (portcullis apply, or aws apigatewayv2 create-deployment --stage-name)."
	}
	return "The existing API " + a.APIID + " keeps its stages (none is created): " + strings.Join(parts, "; ") + "."
}

// Wrap breaks text into lines of at most width columns at spaces, for
// notes written as comments.
func Wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

// HTTPAuthHash fingerprints what a deployment of an HTTP API carries.
func HTTPAuthHash(a *spec.HTTPAPI) string {
	h := sha256.New()
	for _, az := range a.Authorizers {
		h.Write([]byte("A\x00" + az.Name + "\x00" + az.Type + "\x00" + az.Issuer + "\x00" + strings.Join(az.Audiences, ",") + "\x00" + strings.Join(az.IdentitySources, ",") + "\n"))
	}
	for _, r := range a.Routes {
		h.Write([]byte("R\x00" + r.Key + "\x00" + r.AuthType + "\x00" + r.Authorizer + "\x00" + strings.Join(r.Scopes, ",") + "\n"))
		if in := r.Integration; in != nil {
			h.Write([]byte("I\x00" + in.Type + "\x00" + in.URI + "\x00" + in.Method + "\x00" + in.PayloadFormatVersion + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

var lambdaARNRe = regexp.MustCompile(`^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+)`)

// LambdaName is the function name in a Lambda function ARN or invocation
// URI, or "".
func LambdaName(uri string) string {
	if i := strings.Index(uri, "functions/"); i >= 0 {
		uri = uri[i+len("functions/"):]
	}
	if m := lambdaARNRe.FindStringSubmatch(uri); m != nil {
		return m[1]
	}
	return ""
}

// LambdaFunctionARN is the function ARN of a Lambda integration URI: HTTP
// APIs take the function ARN itself, and API Gateway's invocation URI
// (arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations)
// is cut down to it.
func LambdaFunctionARN(uri string) string {
	if i := strings.Index(uri, "functions/"); i >= 0 && strings.HasSuffix(uri, "/invocations") {
		return strings.TrimSuffix(uri[i+len("functions/"):], "/invocations")
	}
	return uri
}

// HTTPRouteSummary says who may call an HTTP API route, for people reading
// generated output.
func HTTPRouteSummary(a *spec.HTTPAPI, r *spec.HTTPRoute) string {
	switch {
	case r.Public:
		return "Public: " + r.Reason
	case r.AuthType == spec.AuthIAM:
		return "Requires AWS SigV4 (IAM) credentials"
	case r.AuthType == spec.AuthJWT && len(r.Scopes) > 0:
		return "Requires a JWT (authorizer " + r.Authorizer + ") with scope " + strings.Join(r.Scopes, " or ")
	case r.AuthType == spec.AuthJWT:
		return "Requires a JWT whose aud or client_id is an audience of authorizer " + r.Authorizer + " (ID tokens pass: no scopes)"
	case r.AuthType == spec.AuthCustom:
		return "Requires authorizer " + r.Authorizer
	}
	return "No authorization"
}
