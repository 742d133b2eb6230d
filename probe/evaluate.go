package probe

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// Verdicts, one per route, most severe first.
const (
	VerdictNotDeployed   = "NOT DEPLOYED"
	VerdictOpen          = "OPEN"
	VerdictScopesIgnored = "SCOPES IGNORED"
	VerdictValidRefused  = "VALID TOKEN REFUSED"
	VerdictDenied        = "denied by policy"
	VerdictInconclusive  = "inconclusive"
	VerdictProtected     = "protected"
	VerdictPublic        = "public"
	VerdictPublicRefused = "public refused"
	VerdictNotProbed     = "not probed"
)

// evaluate turns the answers into findings and verdicts.
func evaluate(opts *Options, res *Result) spec.Diagnostics {
	var ds spec.Diagnostics
	var unproven []string
	unsafeOnly := true
	for i := range res.Routes {
		row := &res.Routes[i]
		e := &routeEval{opts: opts, row: row}
		e.run()
		ds = append(ds, e.ds...)
		if e.unproven != "" {
			unproven = append(unproven, row.Key+" ("+e.unproven+")")
			unsafeOnly = unsafeOnly && strings.HasSuffix(e.unproven, unsafeHint)
		}
	}
	if len(unproven) > 0 {
		sort.Strings(unproven)
		advice := "Give tokens with --id-token-env/--access-token-env, --token-file or a Cognito sign-in (--username), or probe with --local."
		if unsafeOnly {
			advice = "--unsafe sends valid tokens to them too (still without a body, with placeholder path parameters)."
		}
		ds = append(ds, spec.Diagnostic{
			Severity: spec.SeverityInfo, Code: CodeAdmissionUnknown, Source: "probe",
			Summary: fmt.Sprintf("Admission not proven on %d protected route(s)", len(unproven)),
			Detail: "No token the route should admit was sent, so the probe shows these routes refuse strangers but not that " +
				"the right users get in: " + list(unproven, 10) + ". " + advice,
		})
	}
	return ds
}

type routeEval struct {
	opts     *Options
	row      *RouteResult
	ds       spec.Diagnostics
	unproven string
}

func (e *routeEval) add(sev spec.Severity, code, summary, detail string) {
	rng := e.row.route.Range
	e.ds = append(e.ds, spec.Diagnostic{
		Severity: sev, Code: code, Summary: summary, Detail: detail,
		Range: &rng, Route: e.row.Key, Source: "probe",
	})
}

// verdictRank orders verdicts: a route's verdict is its worst.
var verdictRank = map[string]int{
	VerdictNotDeployed: 9, VerdictOpen: 8, VerdictScopesIgnored: 7, VerdictValidRefused: 6,
	VerdictPublicRefused: 5, VerdictDenied: 4, VerdictInconclusive: 3, VerdictProtected: 2, VerdictPublic: 2, VerdictNotProbed: 1,
}

func (e *routeEval) verdict(v string) {
	if verdictRank[v] > verdictRank[e.row.Verdict] {
		e.row.Verdict = v
	}
}

func (e *routeEval) run() {
	row := e.row
	for i := range row.Checks {
		c := &row.Checks[i]
		if c.Sent() && c.Name != CheckPreflight && c.Class == ClassNotDeployed {
			e.verdict(VerdictNotDeployed)
			e.add(spec.SeverityError, CodeNotDeployed, row.Key+" is not deployed on the stage",
				fmt.Sprintf("%s %s answered 403 %q: the stage's deployment has no such path or verb. Apply the description and deploy the stage.",
					c.Method, row.URL, c.Message))
			return
		}
	}
	if row.Public {
		e.public()
	} else if row.route.AuthType == spec.AuthCognito {
		e.protected()
	}
	e.preflight()
	e.verdict(VerdictNotProbed)
}

func (e *routeEval) public() {
	c := e.row.Check(CheckNoToken)
	if !c.Sent() {
		e.verdict(VerdictNotProbed)
		return
	}
	switch c.Class {
	case ClassReached:
		e.verdict(VerdictPublic)
		e.add(spec.SeverityInfo, CodePublicReachable, e.row.Key+" is public and reachable",
			fmt.Sprintf("%s %s without a token answered %d.", c.Method, e.row.URL, c.Status))
	case ClassUnauthorized:
		e.verdict(VerdictPublicRefused)
		e.add(spec.SeverityWarning, CodePublicRefused, e.row.Key+" is declared public but asks for a token",
			fmt.Sprintf("%s %s without a token answered 401 %q: the live method has an authorizer the description does not. Apply the description and deploy the stage.",
				c.Method, e.row.URL, c.Message))
	default:
		e.other(c)
	}
}

// other reports a denial or an inconclusive answer, once per route and
// kind: a resource policy that denies every check is one finding.
func (e *routeEval) other(c *CheckResult) {
	code := CodeInconclusive
	if c.Class == ClassDenied {
		code = CodeDenied
	}
	for _, d := range e.ds {
		if d.Code == code {
			return
		}
	}
	switch c.Class {
	case ClassDenied:
		e.verdict(VerdictDenied)
		e.add(spec.SeverityWarning, CodeDenied, e.row.Key+": refused by a resource policy, WAF or API key, not by the authorizer",
			fmt.Sprintf("The %s check (%s %s) answered 403 %q. The authorizer is not proven; probe from where the policy admits requests.",
				c.Name, c.Method, e.row.URL, c.Message))
	default:
		e.verdict(VerdictInconclusive)
		what := fmt.Sprintf("answered %d %q", c.Status, c.Message)
		switch c.Class {
		case ClassNetwork:
			what = "got no answer after " + fmt.Sprint(c.Attempts) + " attempt(s): " + c.Error
		case ClassThrottled:
			what = "was throttled (429)"
		case ClassNotGateway:
			what = fmt.Sprintf("got an answer that is not API Gateway's (%d %q)", c.Status, c.Message)
		case ClassAuthorizerError:
			what = fmt.Sprintf("hit an authorizer error (%d %q)", c.Status, c.Message)
		}
		e.add(spec.SeverityWarning, CodeInconclusive, e.row.Key+": the "+string(c.Name)+" check is inconclusive",
			fmt.Sprintf("%s %s %s. Probe again, more slowly (--rps).", c.Method, e.row.URL, what))
	}
}

func (e *routeEval) protected() {
	row := e.row
	var open, refusedGood, scopeLeaks, refused []string
	admitted := false
	problem := false
	for i := range row.Checks {
		c := &row.Checks[i]
		if !c.Sent() || c.Name == CheckPreflight || c.Name == CheckBearer {
			continue
		}
		switch {
		case c.Class == ClassDenied || c.Class == ClassThrottled || c.Class == ClassAuthorizerError || c.Class == ClassNetwork || c.Class == ClassNotGateway:
			e.other(c)
			problem = true
		case c.Expect == ExpectRefuse && c.Class == ClassReached:
			if c.scoped {
				scopeLeaks = append(scopeLeaks, fmt.Sprintf("%s answered %d (%s)", c.Name, c.Status, c.Why))
			} else {
				open = append(open, fmt.Sprintf("%s answered %d", c.Name, c.Status))
			}
		case c.Expect == ExpectRefuse && Expired(c.answer):
			refused = append(refused, string(c.Name)+` ("The incoming token has expired")`)
		case c.Expect == ExpectRefuse:
			refused = append(refused, string(c.Name))
		case c.Expect == ExpectAdmit && c.Class == ClassReached:
			admitted = true
		case c.Expect == ExpectAdmit:
			refusedGood = append(refusedGood, fmt.Sprintf("%s answered %d %q", c.Name, c.Status, c.Message))
		}
	}
	if len(open) > 0 {
		// Scopes are moot on an open route: one finding says it all.
		open, scopeLeaks = append(open, scopeLeaks...), nil
		e.verdict(VerdictOpen)
		e.add(spec.SeverityError, CodeOpen, row.Key+" is OPEN: it answers without a valid token",
			fmt.Sprintf("%s %s: %s. The description protects this route with authorizer %q; the live method does not enforce it. "+
				"Check its authorizationType and authorizerId, then deploy the stage.", row.Check(CheckNoToken).Method, row.URL, strings.Join(open, ", "), row.route.Authorizer))
	}
	if len(scopeLeaks) > 0 {
		e.verdict(VerdictScopesIgnored)
		e.add(spec.SeverityError, CodeScopesIgnored, row.Key+" does not enforce its scopes",
			fmt.Sprintf("%s: %s. The description requires an access token with one of %s; the live method lacks authorizationScopes.",
				row.URL, strings.Join(scopeLeaks, ", "), strings.Join(row.route.Scopes, ", ")))
	}
	if len(refusedGood) > 0 {
		e.verdict(VerdictValidRefused)
		hint := ""
		if _, minted := e.opts.Tokens.(*Minted); minted {
			hint = " The tokens were minted by the built-in issuer: a gateway that maps this pool to another issuer (cognito-local, real Cognito) refuses them; give that issuer's tokens instead."
		}
		e.add(spec.SeverityError, CodeValidRefused, row.Key+" refuses a token it should admit",
			fmt.Sprintf("%s: %s. The live method's scopes or the authorizer's user pools differ from the description (scopes %s, pools %s).%s",
				row.URL, strings.Join(refusedGood, ", "), orNone(row.route.Scopes), orNone(poolsOf(row.az)), hint))
	}
	if b := row.Check(CheckBearer); b != nil && b.Sent() && b.Class == ClassUnauthorized && admitted {
		e.add(spec.SeverityInfo, CodeBearerRefused, row.Key+` refuses "Bearer <token>" but admits the raw token`,
			"AWS documents the raw token in the header; whether API Gateway accepts the Bearer prefix is unconfirmed. Clients should send the raw token.")
	}
	if nt := row.Check(CheckNoToken); e.opts.API.CORS != nil && nt.Class == ClassUnauthorized && !nt.CORS {
		e.add(spec.SeverityWarning, CodeNoCORSOnRefusal, row.Key+": the 401 carries no CORS headers",
			fmt.Sprintf("The 401 to origin %s has no matching Access-Control-Allow-Origin, so a browser reports a CORS error instead of the 401. "+
				"Set the header on the UNAUTHORIZED or DEFAULT_4XX gateway response (the cors block does this) and deploy the stage.", e.opts.Origin))
	}
	if len(open)+len(scopeLeaks)+len(refusedGood) > 0 || problem {
		return
	}
	e.verdict(VerdictProtected)
	detail := "Refused with 401: " + strings.Join(refused, ", ") + "."
	if admitted {
		detail += " A valid token was admitted."
	} else {
		e.unproven = admissionGap(row)
		detail += " Admission not proven: " + e.unproven + "."
	}
	e.add(spec.SeverityInfo, CodeProtected, row.Key+" is protected", detail)
}

// admissionGap says why no admitting check was sent.
func admissionGap(row *RouteResult) string {
	for _, n := range []CheckName{CheckAccessToken, CheckIDToken} {
		c := row.Check(n)
		if c == nil {
			continue
		}
		if c.Skipped != "" && !strings.HasPrefix(c.Skipped, "the route has no scopes") {
			return c.Skipped
		}
		if c.Sent() && c.Expect == ExpectRefuse && c.Why != "" {
			return c.Why
		}
	}
	return "no token this route should admit"
}

func (e *routeEval) preflight() {
	c := e.row.Check(CheckPreflight)
	if c == nil || !c.Sent() {
		return
	}
	if c.Class == ClassNetwork || c.Class == ClassThrottled || c.Class == ClassNotGateway {
		e.other(c)
		return
	}
	why := c.preflightWhy(e.opts.Origin)
	if why == "" {
		return
	}
	e.add(spec.SeverityError, CodePreflightBroken, e.row.Key+": the CORS preflight fails",
		fmt.Sprintf("OPTIONS %s (Origin %s, Access-Control-Request-Method %s) %s", e.row.URL, e.opts.Origin, c.acrm, why))
}

// preflightWhy says what is wrong with a preflight's answer ("" = nothing).
func (c *CheckResult) preflightWhy(origin string) string {
	switch {
	case c.Class == ClassNetwork:
		return "got no answer: " + c.Error
	case c.Class == ClassUnauthorized:
		return fmt.Sprintf("answered 401 %q: the OPTIONS method asks for a token, but browsers never send one on a preflight. Give OPTIONS authorization NONE.", c.Message)
	case c.Class == ClassNotDeployed:
		return "answered 403 Missing Authentication Token: no OPTIONS method is deployed on this path."
	case c.Status < 200 || c.Status > 299:
		return fmt.Sprintf("answered %d %q.", c.Status, c.Message)
	case !c.CORS:
		return fmt.Sprintf("answered %d without an Access-Control-Allow-Origin that admits %s.", c.Status, origin)
	}
	if m := c.answer.Header.Get("Access-Control-Allow-Methods"); m != "" && !listHas(m, c.acrm) {
		return fmt.Sprintf("answered with Access-Control-Allow-Methods %q, which lacks %s.", m, c.acrm)
	}
	return ""
}

func listHas(list, v string) bool {
	for _, p := range strings.Split(list, ",") {
		p = strings.TrimSpace(p)
		if p == "*" || strings.EqualFold(p, v) {
			return true
		}
	}
	return false
}

func poolsOf(az *spec.Authorizer) []string {
	if az == nil {
		return nil
	}
	return az.UserPoolARNs
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}

func list(s []string, max int) string {
	if len(s) <= max {
		return strings.Join(s, "; ")
	}
	return strings.Join(s[:max], "; ") + fmt.Sprintf("; and %d more", len(s)-max)
}

// Pass reports whether a sent check got what the route should answer.
// Bearer refusals pass: AWS's stance on the prefix is unconfirmed.
func (c *CheckResult) Pass() bool {
	switch c.Expect {
	case ExpectRefuse:
		return c.Class == ClassUnauthorized
	case ExpectAdmit:
		if c.Name == CheckBearer {
			return c.Class == ClassReached || c.Class == ClassUnauthorized
		}
		return c.Class == ClassReached
	case ExpectPreflight:
		return c.preflightWhy("") == ""
	}
	return false
}

// Code is the finding a sent check not as described gives, "" for a check
// that passed or was not sent: the code of the route's finding this check
// is part of (evaluate), so a reader of the rows and of the findings sees
// the same codes.
func (c *CheckResult) Code(row *RouteResult) string {
	if !c.Sent() || c.Pass() {
		return ""
	}
	switch c.Class {
	case ClassDenied:
		return CodeDenied
	case ClassThrottled, ClassAuthorizerError, ClassNetwork, ClassNotGateway:
		return CodeInconclusive
	}
	switch {
	case c.Name == CheckPreflight:
		return CodePreflightBroken
	case c.Class == ClassNotDeployed:
		return CodeNotDeployed
	case row.Public && c.Class == ClassUnauthorized:
		return CodePublicRefused
	case c.Expect == ExpectRefuse && c.Class == ClassReached && c.scoped:
		return CodeScopesIgnored
	case c.Expect == ExpectRefuse && c.Class == ClassReached:
		return CodeOpen
	case c.Expect == ExpectAdmit:
		return CodeValidRefused
	}
	return CodeInconclusive
}
