package drift

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// CodeCORS is an HTTP API whose CORS configuration differs.
const CodeCORS = "drift-cors"

// CheckHTTP compares an HTTP API's description with the live API (nil:
// missing) for stage ("" = the first described), with the same codes as
// Check, so every output format serves both kinds of API.
func CheckHTTP(want *spec.HTTPAPI, have *state.HTTPAPI, stage string) spec.Diagnostics {
	if have == nil {
		return spec.Diagnostics{find(spec.SeverityError, CodeAPIMissing, rng(want.Range), "", "API not found",
			fmt.Sprintf("No live HTTP API matches http_api %q (by api_id, else by name).", want.Name))}
	}
	res := diff.HTTP(want, have, diff.HTTPOptions{Stage: stage})
	var ds spec.Diagnostics
	for _, c := range res.Changes {
		ds = append(ds, fromHTTPChange(want, have, c, res.Stage)...)
	}
	for _, d := range res.Diagnostics {
		switch d.Code {
		case diff.CodeOpenUndescribed:
			d.Code, d.Severity, d.Summary = CodeOpenUndescribed, spec.SeverityError, "Open route nobody described"
		case diff.CodeUndescribedAuthz:
			d.Code, d.Severity, d.Summary = CodeAuthorizerExtra, spec.SeverityWarning, "Authorizer added out of band"
		default:
			d.Code = "drift-" + strings.TrimPrefix(d.Code, "plan-")
		}
		d.Source = "drift"
		ds = append(ds, d)
	}
	ds = append(ds, undeployed(want, have, res.Stage)...)
	if st := have.Stages[res.Stage]; st != nil && !res.AutoDeploy && st.DeploymentID != "" && st.Deployed == nil {
		ds = append(ds, find(spec.SeverityInfo, CodeUnverified, rng(want.Range), "", "Deployed configuration not readable",
			fmt.Sprintf("Stage %q's deployment could not be exported (ExportApi failed), so changes made but not deployed cannot be ruled out.", res.Stage)))
	}
	ds.Sort()
	return ds
}

func routeRange(want *spec.HTTPAPI, key string) *spec.Range {
	if r := want.Route(key); r != nil {
		return rng(r.Range)
	}
	return rng(want.Range)
}

func fromHTTPChange(want *spec.HTTPAPI, have *state.HTTPAPI, c diff.HTTPChange, stage string) spec.Diagnostics {
	detail := details(c.Fields)
	r := rng(want.Range)
	switch c.Kind {
	case diff.KindHTTPAPI:
		return spec.Diagnostics{find(spec.SeverityWarning, CodeAuthorizerChanged, r, "", "API changed out of band", "The HTTP API differs: "+detail+".")}
	case diff.KindCORS:
		return spec.Diagnostics{find(spec.SeverityWarning, CodeCORS, r, "", "CORS configuration differs",
			"The HTTP API's CORS configuration (which the gateway answers preflights from) differs: "+detail+".")}
	case diff.KindJWTAuthorize:
		if az := want.AuthorizerByName(c.Key); az != nil {
			r = rng(az.Range)
		}
		if c.Action == diff.Create {
			return spec.Diagnostics{find(spec.SeverityError, CodeAuthorizerMissing, r, "", "Authorizer missing",
				fmt.Sprintf("JWT authorizer %q is described but not in the live API (deleted out of band?).", c.Key))}
		}
		return spec.Diagnostics{find(spec.SeverityError, CodeAuthorizerChanged, r, "", "Authorizer changed out of band",
			fmt.Sprintf("JWT authorizer %q differs from its description: %s.", c.Key, detail))}
	case diff.KindHTTPIntegr:
		return spec.Diagnostics{find(spec.SeverityWarning, CodeIntegration, rng(want.Range), "", "Integration changed",
			fmt.Sprintf("%s differs from its description: %s.", c.Address, detail))}
	case diff.KindRoute:
		rr := routeRange(want, c.Key)
		if c.Action == diff.Create {
			return spec.Diagnostics{find(spec.SeverityError, CodeMethodMissing, rr, c.Key, "Described route missing",
				fmt.Sprintf("%s is described but does not exist in the live API.", c.Key))}
		}
		var out spec.Diagnostics
		for _, f := range c.Fields {
			switch f.Name {
			case "authorization":
				oldType, _, _ := strings.Cut(f.Old, " ")
				newType, _, _ := strings.Cut(f.New, " ")
				switch {
				case oldType == spec.AuthNone && newType != spec.AuthNone:
					out = append(out, find(spec.SeverityError, CodeMethodOpened, rr, c.Key, "Route open in the live API",
						fmt.Sprintf("%s has no authorization in the live API but is described as %s: anyone can call it.", c.Key, f.New)))
				case oldType == newType:
					out = append(out, find(spec.SeverityError, CodeScopes, rr, c.Key, "Route authorizer or scopes changed",
						fmt.Sprintf("%s is %s in the live API, described as %s.", c.Key, f.Old, f.New)))
				default:
					out = append(out, find(spec.SeverityError, CodeMethodAuth, rr, c.Key, "Route authorization changed",
						fmt.Sprintf("%s is %s in the live API, described as %s.", c.Key, f.Old, f.New)))
				}
			case "target":
				out = append(out, find(spec.SeverityWarning, CodeIntegration, rr, c.Key, "Route target changed",
					fmt.Sprintf("%s targets %s in the live API, described as %s.", c.Key, show(f.Old), f.New)))
			}
		}
		return out
	case diff.KindHTTPStage:
		if c.Action == diff.Create {
			return spec.Diagnostics{find(spec.SeverityWarning, CodeStageMissing, r, "", "Stage missing", fmt.Sprintf("Stage %q does not exist in the live API.", c.Key))}
		}
		return spec.Diagnostics{find(spec.SeverityWarning, CodeStageVariables, r, "", "Stage differs", fmt.Sprintf("Stage %q differs: %s.", c.Key, detail))}
	case diff.KindDeployment:
		return nil // judged by undeployed, against the live working configuration
	}
	return nil
}

// undeployed compares what the stage's deployment serves with the live
// working configuration: a difference is a change made but not deployed.
func undeployed(want *spec.HTTPAPI, have *state.HTTPAPI, stage string) spec.Diagnostics {
	diffs, _ := have.Undeployed(stage)
	if len(diffs) == 0 {
		return nil
	}
	return spec.Diagnostics{find(spec.SeverityError, CodeUndeployed, rng(want.Range), "", "Changes not deployed",
		fmt.Sprintf("Stage %q serves a deployment that differs from the API's working configuration (deployed -> working): %s. Run `portcullis apply` to deploy it.", stage, strings.Join(diffs, "; ")))}
}
