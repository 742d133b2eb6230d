package generators

import (
	"encoding/json"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// CodeExistingAPICORS is the warning a target gives when it cannot set
// the CORS configuration of an existing HTTP API (api_id). CORS is a
// property of the Api resource itself, and an output that adds routes to
// an API someone else created does not own that resource: CloudFormation
// and the CDK can only reference it, Terraform would have to import it,
// and Serverless takes provider.httpApi.id as is. `portcullis apply`
// updates the live API (UpdateApi), so it sets what these outputs cannot.
// check-generators reads the warning as the reason the output's CORS
// differs from the description, and reports the difference as expected.
const CodeExistingAPICORS = "existing-api-cors"

// ExistingAPICORS warns that targets leave an existing HTTP API's CORS
// configuration as it is, at the description's cors block, and says how
// to set it; nil when a creates its API or describes no CORS.
func ExistingAPICORS(a *spec.HTTPAPI, desc string, targets ...string) spec.Diagnostics {
	if a.APIID == "" || a.CORS == nil || len(targets) == 0 {
		return nil
	}
	targets = append([]string(nil), targets...)
	sort.Strings(targets)
	if desc == "" {
		desc = "DESCRIPTION"
	}
	outputs := strings.Join(targets, ", ") + " output"
	if len(targets) > 1 {
		outputs += "s"
	}
	d := spec.Warnf(CodeExistingAPICORS, a.CORS.Range, "CORS of an existing HTTP API is not in the "+outputs,
		"http_api %q adds to the existing API %s. Its CORS configuration is a property of the API itself, which the %s cannot change, so the API's CORS stays as it is and browsers get whatever that answers. Set it with `portcullis apply %s` (it updates the API), or with\n  aws apigatewayv2 update-api --api-id %s --cors-configuration %s",
		a.Name, a.APIID, outputs, desc, a.APIID, shellQuote(corsJSON(a.CORS)))
	d.Source = strings.Join(targets, ",")
	return spec.Diagnostics{d}
}

// MergeExistingAPICORS folds the CodeExistingAPICORS warnings that several
// targets gave for one API (generate --target all) into one naming them
// all; other diagnostics pass through in order.
func MergeExistingAPICORS(d *spec.Description, ds spec.Diagnostics, desc string) spec.Diagnostics {
	var out spec.Diagnostics
	targets := map[*spec.HTTPAPI][]string{}
	var order []*spec.HTTPAPI
	for _, x := range ds {
		a := corsAPI(d, x)
		if a == nil {
			out = append(out, x)
			continue
		}
		if targets[a] == nil {
			order = append(order, a)
		}
		targets[a] = append(targets[a], strings.Split(x.Source, ",")...)
	}
	for _, a := range order {
		out = append(out, ExistingAPICORS(a, desc, targets[a]...)...)
	}
	return out
}

// ExistingAPICORSReasons maps the name of each HTTP API of d that a
// CodeExistingAPICORS warning among ds is about to the warning's summary:
// the reason its output's CORS differs from the description.
func ExistingAPICORSReasons(d *spec.Description, ds spec.Diagnostics) map[string]string {
	out := map[string]string{}
	for _, x := range ds {
		if a := corsAPI(d, x); a != nil {
			out[a.Name] = x.Summary
		}
	}
	return out
}

// corsAPI is the HTTP API of d that a CodeExistingAPICORS
// warning is about, or nil.
func corsAPI(d *spec.Description, x spec.Diagnostic) *spec.HTTPAPI {
	if x.Code != CodeExistingAPICORS || x.Range == nil {
		return nil
	}
	for _, a := range d.HTTPAPIs {
		if a.CORS != nil && a.CORS.Range == *x.Range {
			return a
		}
	}
	return nil
}

// corsJSON is the --cors-configuration value of the AWS CLI.
func corsJSON(c *spec.CORS) string {
	v := struct {
		AllowOrigins     []string `json:"AllowOrigins,omitempty"`
		AllowMethods     []string `json:"AllowMethods,omitempty"`
		AllowHeaders     []string `json:"AllowHeaders,omitempty"`
		ExposeHeaders    []string `json:"ExposeHeaders,omitempty"`
		AllowCredentials bool     `json:"AllowCredentials,omitempty"`
		MaxAge           int      `json:"MaxAge,omitempty"`
	}{c.AllowOrigins, c.AllowMethods, c.AllowHeaders, c.ExposeHeaders, c.AllowCredentials, c.MaxAgeSeconds}
	b, _ := json.Marshal(v)
	return string(b)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
