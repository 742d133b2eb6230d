package probe

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
)

// CheckName names one request of the matrix (a column of the table).
type CheckName string

// The checks, in table order.
const (
	CheckNoToken     CheckName = "no-token"
	CheckGarbage     CheckName = "garbage"
	CheckForged      CheckName = "forged"
	CheckExpired     CheckName = "expired"
	CheckIDToken     CheckName = "id-token"
	CheckAccessToken CheckName = "access-token"
	CheckBearer      CheckName = "bearer"
	CheckPreflight   CheckName = "preflight"
)

// Checks lists every check in table order.
var Checks = []CheckName{CheckNoToken, CheckGarbage, CheckForged, CheckExpired, CheckIDToken, CheckAccessToken, CheckBearer, CheckPreflight}

// Expect is what a check should get.
type Expect string

// Expectations.
const (
	ExpectRefuse    Expect = "refuse"    // 401 from the authorizer
	ExpectAdmit     Expect = "admit"     // past the authorizer
	ExpectPreflight Expect = "preflight" // 2xx with Access-Control-Allow-Origin
)

// unsafeHint ends the reason a check was not sent to an unsafe method.
const unsafeHint = "--unsafe sends it"

// Placeholders for path parameters nobody gave a value for (see routeURL).
const (
	placeholder       = "portcullis-probe"
	greedyPlaceholder = "portcullis-probe/sample"
)

// safeMethods are sent with every check. ANY is probed with GET.
var safeMethods = map[string]bool{"GET": true, "HEAD": true, "OPTIONS": true, "ANY": true}

// Result is everything a probe saw. It holds no tokens.
type Result struct {
	BaseURL  string        `json:"base_url"`
	Routes   []RouteResult `json:"routes"`
	Requests int           `json:"requests"`
	Elapsed  time.Duration `json:"elapsed_ns"`
}

// RouteResult is one route's row.
type RouteResult struct {
	Key     string        `json:"key"`
	URL     string        `json:"url"`
	Public  bool          `json:"public"`
	Scopes  []string      `json:"scopes"`
	Verdict string        `json:"verdict"`
	Checks  []CheckResult `json:"checks"`
	// Browser is what a page at the origin saw in Chromium (probe
	// --browser); nil when the browser was not asked.
	Browser *BrowserResult `json:"browser,omitempty"`

	route *spec.Route
	az    *spec.Authorizer
}

// Check finds a check by name, or nil.
func (rr *RouteResult) Check(name CheckName) *CheckResult {
	for i := range rr.Checks {
		if rr.Checks[i].Name == name {
			return &rr.Checks[i]
		}
	}
	return nil
}

// CheckResult is one request and what came of it.
type CheckResult struct {
	Name   CheckName `json:"name"`
	Method string    `json:"method"`
	Expect Expect    `json:"expect"`
	// Why explains an expected refusal of a token that looks valid (wrong
	// pool, wrong kind, missing scope).
	Why string `json:"why,omitempty"`
	// Skipped says why the check was not sent.
	Skipped string `json:"skipped,omitempty"`
	Status  int    `json:"status"`
	Class   Class  `json:"class,omitempty"`
	Message string `json:"message,omitempty"`
	// CORS is true when the answer admits the probe's Origin.
	CORS     bool   `json:"cors"`
	Error    string `json:"error,omitempty"`
	Attempts int    `json:"attempts"`

	answer Answer
	token  string // sent in the identity header; never serialized
	bearer bool
	// tokenOf names the token for debug output (the Bearer check reuses
	// another check's token).
	tokenOf CheckName
	scoped  bool   // refusal expected only because of kind or scopes
	acrm    string // Access-Control-Request-Method of a preflight
}

// Sent reports whether the check went on the wire.
func (c *CheckResult) Sent() bool { return c.Skipped == "" }

// plan builds the rows and their checks; the tokens are fetched here, once.
func plan(ctx context.Context, opts *Options, now time.Time) ([]RouteResult, error) {
	api := opts.API
	rows := make([]RouteResult, 0, len(api.Routes))
	for _, r := range api.Routes {
		var az *spec.Authorizer
		if r.Authorizer != "" {
			az = api.AuthorizerByName(r.Authorizer)
		}
		method := r.Method
		if method == "ANY" {
			method = "GET"
		}
		safe := safeMethods[r.Method] || opts.Unsafe
		row := RouteResult{Key: r.Key(), URL: routeURL(opts.BaseURL, r, opts.Params, safeMethods[r.Method], opts.Unsafe), Public: r.AuthType == spec.AuthNone, Scopes: r.Scopes, route: r, az: az}
		add := func(c CheckResult) {
			if c.Method == "" {
				c.Method = method
			}
			if c.tokenOf == "" {
				c.tokenOf = c.Name
			}
			row.Checks = append(row.Checks, c)
		}
		unsafeSkip := fmt.Sprintf("%s is not a safe method; %s", r.Method, unsafeHint)

		switch r.AuthType {
		case spec.AuthNone:
			c := CheckResult{Name: CheckNoToken, Expect: ExpectAdmit}
			if !safe {
				c.Skipped = "a public " + unsafeSkip
			}
			add(c)
		case spec.AuthCognito:
			add(CheckResult{Name: CheckNoToken, Expect: ExpectRefuse})
			garbageCheck := CheckResult{Name: CheckGarbage, Expect: ExpectRefuse, token: garbage}
			if !safe {
				garbageCheck.Skipped = unsafeSkip
			}
			add(garbageCheck)
			if err := tokenChecks(ctx, opts, r, az, safe, unsafeSkip, now, add); err != nil {
				return nil, err
			}
		default:
			add(CheckResult{Name: CheckNoToken, Skipped: "authorization type " + r.AuthType + " is not probed"})
		}
		if api.CORS != nil {
			add(CheckResult{Name: CheckPreflight, Method: "OPTIONS", Expect: ExpectPreflight, acrm: method})
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// tokenChecks adds the forged, expired, ID-token, access-token and Bearer
// checks of a Cognito route.
func tokenChecks(ctx context.Context, opts *Options, r *spec.Route, az *spec.Authorizer, safe bool, unsafeSkip string, now time.Time, add func(CheckResult)) error {
	get := func(kind TokenKind) (string, error) {
		if opts.Tokens == nil {
			return "", nil
		}
		t, err := opts.Tokens.Token(ctx, r, az, kind)
		if err != nil {
			return "", fmt.Errorf("token for %s: %w", r.Key(), err)
		}
		return t, nil
	}
	idTok, err := get(IDToken)
	if err != nil {
		return err
	}
	accessTok, err := get(AccessToken)
	if err != nil {
		return err
	}
	expiredTok, err := get(ExpiredToken)
	if err != nil {
		return err
	}

	// The forged token claims the route's first pool and, when a real token
	// of that pool is at hand, its key id and issuer.
	forged := CheckResult{Name: CheckForged, Expect: ExpectRefuse}
	if az == nil || len(az.UserPoolARNs) == 0 {
		forged.Skipped = "the route's authorizer names no user pool"
	} else if pool, err := tokens.ParsePool(az.UserPoolARNs[0]); err != nil {
		forged.Skipped = err.Error()
	} else {
		kid, iss := "", ""
		for _, t := range []string{idTok, accessTok} {
			if c, err := peek(t); t != "" && err == nil && c.poolID() == pool.ID {
				kid, iss = c.Kid, c.Iss
			}
		}
		use := IDToken
		if len(r.Scopes) > 0 {
			use = AccessToken
		}
		forged.token = forge(pool, use, r.Scopes, kid, iss, now)
	}
	add(forged)

	noToken := func(kind string) string {
		if opts.Tokens == nil {
			return "no tokens given"
		}
		return "no " + kind + " given"
	}
	expired := CheckResult{Name: CheckExpired, Expect: ExpectRefuse, token: expiredTok}
	switch {
	case !safe:
		expired.Skipped = unsafeSkip
	case expiredTok == "":
		expired.Skipped = noToken("expired token")
	}
	add(expired)

	var admitted *CheckResult
	valid := func(name CheckName, tok string, kind string) {
		c := CheckResult{Name: name, token: tok}
		switch {
		case !safe:
			c.Skipped = unsafeSkip
		case tok == "":
			c.Skipped = noToken(kind)
		default:
			cl, err := peek(tok)
			if err != nil {
				c.Expect, c.Why = ExpectRefuse, "the "+kind+" is not a JWT"
				break
			}
			admit, why, scoped := expectation(cl, r, az, now)
			c.Expect, c.Why, c.scoped = ExpectRefuse, why, scoped
			if admit {
				c.Expect = ExpectAdmit
			}
		}
		add(c)
		if c.Expect == ExpectAdmit && admitted == nil {
			admitted = &c
		}
	}
	valid(CheckIDToken, idTok, "ID token")
	if len(r.Scopes) > 0 {
		valid(CheckAccessToken, accessTok, "access token")
	} else {
		add(CheckResult{Name: CheckAccessToken, Skipped: "the route has no scopes, so it takes ID tokens"})
	}

	bearer := CheckResult{Name: CheckBearer, Expect: ExpectAdmit, bearer: true}
	if admitted != nil {
		bearer.token, bearer.tokenOf = admitted.token, admitted.Name
	} else if !safe {
		bearer.Skipped = unsafeSkip
	} else {
		bearer.Skipped = "no token this route should admit"
	}
	add(bearer)
	return nil
}

// routeURL fills the route's path parameters and joins it to base (see
// fillPath).
func routeURL(base string, r *spec.Route, params map[string]string, safeMethod, unsafe bool) string {
	return strings.TrimRight(base, "/") + fillPath(r.Path, params, r.ParamExamples, safeMethod, unsafe)
}

// fillPath fills a route path's parameters, {name} and greedy {name+}, for
// REST and HTTP APIs alike. Safe methods take --param values, then the
// description's examples. Unsafe methods take placeholders, or --param
// values with --unsafe, never the examples: a DELETE that turns out to be
// open must not hit a real item, and admission is proven by reaching the
// integration, whatever it answers. A greedy value keeps its slashes.
func fillPath(path string, params, examples map[string]string, safeMethod, unsafe bool) string {
	var b strings.Builder
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, seg := range segs {
		if seg == "" {
			continue
		}
		b.WriteByte('/')
		if !strings.HasPrefix(seg, "{") || !strings.HasSuffix(seg, "}") {
			b.WriteString(url.PathEscape(seg))
			continue
		}
		name := seg[1 : len(seg)-1]
		greedy := strings.HasSuffix(name, "+")
		name = strings.TrimSuffix(name, "+")
		v, ok := "", false
		switch {
		case safeMethod:
			if v, ok = params[name]; !ok {
				v, ok = examples[name]
			}
		case unsafe:
			v, ok = params[name]
		}
		if !ok || v == "" {
			v = placeholder
			if greedy {
				v = greedyPlaceholder
			}
		}
		if greedy {
			parts := strings.Split(strings.Trim(v, "/"), "/")
			for i, p := range parts {
				parts[i] = url.PathEscape(p)
			}
			b.WriteString(strings.Join(parts, "/"))
		} else {
			b.WriteString(url.PathEscape(v))
		}
	}
	if b.Len() == 0 {
		b.WriteByte('/')
	}
	return b.String()
}
