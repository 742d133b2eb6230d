package drift

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Finding codes.
const (
	CodeAPIMissing        = "drift-api-missing"
	CodeAuthorizerMissing = "drift-authorizer-missing"
	CodeAuthorizerChanged = "drift-authorizer-changed"
	CodeAuthorizerExtra   = "drift-authorizer-extra"
	CodeMethodMissing     = "drift-method-missing"
	CodeMethodOpened      = "drift-method-open"
	CodeMethodAuth        = "drift-method-auth"
	CodeScopes            = "drift-scopes"
	CodeIdentityHeader    = "drift-identity-header"
	CodeIntegration       = "drift-integration"
	CodeGatewayResponse   = "drift-gateway-response"
	CodeOpenUndescribed   = "drift-open-undescribed"
	CodeStageMissing      = "drift-stage-missing"
	CodeUndeployed        = "drift-undeployed"
	CodeStageVariables    = "drift-stage-variables"
	CodeUnverified        = "drift-unverified"
)

// Check compares want with have (nil: the API is missing) for stage ("" =
// the first described stage).
func Check(want *spec.API, have *state.State, stage string) spec.Diagnostics {
	if have == nil {
		return spec.Diagnostics{find(spec.SeverityError, CodeAPIMissing, rng(want.Range), "", "API not found",
			fmt.Sprintf("No live REST API matches api %q (by rest_api_id, else by name).", want.Name))}
	}
	res := diff.Compute(want, have, diff.Options{Stage: stage})
	var ds spec.Diagnostics
	for _, c := range res.Changes {
		ds = append(ds, fromChange(want, c)...)
	}
	for _, d := range res.Diagnostics {
		switch d.Code {
		case diff.CodeCannotCreate:
			d.Code, d.Summary = CodeMethodMissing, "Described method missing"
			d.Detail = fmt.Sprintf("%s is described but does not exist in the live API.", d.Route)
		case diff.CodeOpenUndescribed:
			d.Code, d.Severity = CodeOpenUndescribed, spec.SeverityError
		case diff.CodeUndescribedAuthz:
			d.Code, d.Severity, d.Summary = CodeAuthorizerExtra, spec.SeverityWarning, "Authorizer added out of band"
		case diff.CodeAmbiguous, diff.CodeTypeMismatch:
			d.Code = "drift-" + strings.TrimPrefix(d.Code, "plan-")
		case diff.CodeUnverified:
			// Not drift: what could not be read is said, not counted.
			d.Code, d.Severity = CodeUnverified, spec.SeverityInfo
		default:
			continue // an undescribed method with auth is not drift
		}
		d.Source = "drift"
		ds = append(ds, d)
	}
	ds.Sort()
	return ds
}

func fromChange(want *spec.API, c diff.Change) spec.Diagnostics {
	detail := details(c.Fields)
	name := strings.TrimPrefix(c.Address, string(c.Kind)+".")
	switch c.Kind {
	case diff.KindAuthorizer:
		if c.Action == diff.Create {
			return one(spec.SeverityError, CodeAuthorizerMissing, c, "Authorizer missing",
				fmt.Sprintf("Authorizer %q is described but not in the live API (deleted out of band?).", name))
		}
		return one(spec.SeverityError, CodeAuthorizerChanged, c, "Authorizer changed out of band",
			fmt.Sprintf("Authorizer %q differs from its description: %s.", name, detail))
	case diff.KindResource:
		return nil // reported with the method that needs it
	case diff.KindMethod:
		if c.Action == diff.Create {
			return one(spec.SeverityError, CodeMethodMissing, c, "Described method missing",
				fmt.Sprintf("%s is described but does not exist in the live API.", c.Route))
		}
		var out spec.Diagnostics
		for _, f := range c.Fields {
			switch f.Name {
			case "authorization_type":
				if f.Old == spec.AuthNone {
					out = append(out, one(spec.SeverityError, CodeMethodOpened, c, "Method open in the live API",
						fmt.Sprintf("%s has authorization NONE in the live API but is described as %s: anyone can call it once deployed.", c.Route, f.New))...)
				} else {
					out = append(out, one(spec.SeverityError, CodeMethodAuth, c, "Method authorization changed",
						fmt.Sprintf("%s has authorization %s in the live API, described as %s.", c.Route, f.Old, show(f.New)))...)
				}
			case "authorizer":
				out = append(out, one(spec.SeverityError, CodeMethodAuth, c, "Method uses another authorizer",
					fmt.Sprintf("%s uses authorizer %s in the live API, described as %s.", c.Route, show(f.Old), f.New))...)
			case "scopes":
				out = append(out, one(spec.SeverityError, CodeScopes, c, "Scopes changed",
					fmt.Sprintf("%s requires scopes %s in the live API, described as %s.", c.Route, f.Old, f.New))...)
			case "identity_header":
				out = append(out, one(spec.SeverityWarning, CodeIdentityHeader, c, "Identity header not declared",
					fmt.Sprintf("%s does not declare the request header %s its authorizer reads.", c.Route, f.New))...)
			}
		}
		return out
	case diff.KindIntegration:
		return one(spec.SeverityWarning, CodeIntegration, c, "Integration changed",
			fmt.Sprintf("%s's integration differs from its description: %s.", c.Route, detail))
	case diff.KindGatewayResponse:
		return one(spec.SeverityWarning, CodeGatewayResponse, c, "Gateway response differs",
			fmt.Sprintf("Gateway response %s differs from the description: %s.", name, detail))
	case diff.KindStage:
		if c.Action == diff.Create {
			return one(spec.SeverityWarning, CodeStageMissing, c, "Stage not deployed",
				fmt.Sprintf("Stage %q does not exist in the live API.", name))
		}
		var out spec.Diagnostics
		var undeployed []string
		for _, f := range c.Fields {
			if f.Name == "variables" {
				out = append(out, one(spec.SeverityWarning, CodeStageVariables, c, "Stage variables differ",
					fmt.Sprintf("Stage %q variables are %s, described as %s.", name, f.Old, f.New))...)
				continue
			}
			undeployed = append(undeployed, fmt.Sprintf("%s: %s -> %s", strings.TrimPrefix(f.Name, "deployed "), f.Old, f.New))
		}
		if len(undeployed) > 0 {
			out = append(out, one(spec.SeverityError, CodeUndeployed, c, "Changes not deployed",
				fmt.Sprintf("Stage %q serves a deployment that differs from the API's working configuration (deployed -> working): %s. Run `portcullis deploy --stage %s` once the working configuration is right.",
					name, strings.Join(undeployed, "; "), name))...)
		}
		return out
	}
	return nil
}

func one(sev spec.Severity, code string, c diff.Change, summary, detail string) spec.Diagnostics {
	return spec.Diagnostics{find(sev, code, c.Range, c.Route, summary, detail)}
}

func find(sev spec.Severity, code string, r *spec.Range, route, summary, detail string) spec.Diagnostic {
	return spec.Diagnostic{Severity: sev, Code: code, Range: r, Route: route, Summary: summary, Detail: detail, Source: "drift"}
}

func details(fs []diff.Field) string {
	var parts []string
	for _, f := range fs {
		parts = append(parts, fmt.Sprintf("%s %s -> %s", f.Name, show(f.Old), show(f.New)))
	}
	return strings.Join(parts, ", ")
}

func show(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

func rng(r spec.Range) *spec.Range {
	if r.Filename == "" {
		return nil
	}
	return &r
}

// Found reports whether ds holds drift (anything but notes).
func Found(ds spec.Diagnostics) bool { return ds.CountAtLeast(spec.SeverityWarning) > 0 }

// Rules describes every drift finding for SARIF.
func Rules() []report.Rule {
	r := func(id string, sev spec.Severity, summary, help string) report.Rule {
		return report.Rule{ID: id, Name: id, Severity: sev, Summary: summary, Help: help}
	}
	return []report.Rule{
		r(CodeAPIMissing, spec.SeverityError, "The described API does not exist", "Create it with `portcullis apply`, or fix rest_api_id/name."),
		r(CodeAuthorizerMissing, spec.SeverityError, "A described authorizer is missing", "Someone deleted it; `portcullis apply` recreates it and re-attaches the methods."),
		r(CodeAuthorizerChanged, spec.SeverityError, "An authorizer was changed out of band", "User pools, identity source, validation expression or TTL differ; `portcullis apply` restores them."),
		r(CodeAuthorizerExtra, spec.SeverityWarning, "An authorizer exists that the description does not have", "Describe it, or delete it with `portcullis apply --prune`."),
		r(CodeMethodMissing, spec.SeverityError, "A described method is missing", "Re-create it (apply creates methods that declare an integration)."),
		r(CodeMethodOpened, spec.SeverityError, "A protected method was switched to NONE", "Anyone can call it once deployed; `portcullis apply` re-attaches its authorizer."),
		r(CodeMethodAuth, spec.SeverityError, "A method's authorization or authorizer changed", "`portcullis apply` restores the described authorization."),
		r(CodeScopes, spec.SeverityError, "A method's scopes changed", "Scopes decide which access tokens pass; `portcullis apply` restores them."),
		r(CodeIdentityHeader, spec.SeverityWarning, "A method does not declare its identity header", "`portcullis apply` adds the request parameter."),
		r(CodeIntegration, spec.SeverityWarning, "A declared integration changed", "`portcullis apply` restores it."),
		r(CodeGatewayResponse, spec.SeverityWarning, "A gateway response differs", "CORS headers on 4XX/5XX answers were changed or removed; `portcullis apply` restores them."),
		r(CodeOpenUndescribed, spec.SeverityError, "A method nobody described is open", "Describe it (public with a reason, or with an authorizer) or delete it (`apply --prune`)."),
		r(CodeStageMissing, spec.SeverityWarning, "The stage does not exist", "`portcullis apply` or `portcullis deploy` creates it."),
		r(CodeUndeployed, spec.SeverityError, "Changes were made but never deployed", "The stage still serves an older configuration; `portcullis deploy --stage NAME` deploys the working one."),
		r(CodeStageVariables, spec.SeverityWarning, "Stage variables differ", "`portcullis apply` deploys the described variables."),
		r(CodeUnverified, spec.SeverityInfo, "What the stage serves could not be verified", "The server did not give the deployment's summary or an OpenAPI 3 export with API Gateway's extensions; the working configuration was still compared."),
		r(CodeCORS, spec.SeverityWarning, "An HTTP API's CORS configuration differs", "The gateway answers preflights from it; `portcullis apply` restores it."),
		r("drift-ambiguous-authorizer", spec.SeverityError, "Several authorizers share a described name", "Rename or delete all but one."),
		r("drift-authorizer-type", spec.SeverityError, "An authorizer has another type live", "API Gateway cannot change an authorizer's type; rename one."),
	}
}
