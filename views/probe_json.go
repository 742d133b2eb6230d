package views

import (
	"fmt"
	"strings"

	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
)

// ProbeFormatVersion versions ProbeDocument (docs/cli.md#probes-as-json,
// docs/probe.schema.json): a field added moves the minor version, a change
// that would make a reader of the old shape misread the new the major.
// 2.0 made a REST API's and an HTTP API's results one shape; 1.x printed
// the envelope's version with a REST API's `matrix` or an HTTP API's
// `cases`.
const ProbeFormatVersion = "2.0"

// ProbeDocument is `probe --format json` (and apply's `probe`), one shape
// for a REST API and an HTTP API: the findings in the envelope, one row
// per route (its verdict) and one per request (its case, what it expected
// and got, and the finding it gave). What only one kind has is added to
// its rows, never in place of a common field.
type ProbeDocument struct {
	report.Envelope
	// FormatVersion is the probe document's own; it shadows the
	// envelope's.
	FormatVersion string       `json:"format_version"`
	APIType       plan.APIType `json:"api_type"`
	BaseURL       string       `json:"base_url"`
	// Requests counts the requests sent (retries not counted).
	Requests int          `json:"requests"`
	Routes   []ProbeRoute `json:"routes"`
	Checks   []ProbeCheck `json:"checks"`
}

// ProbeRoute is one route and its verdict (probe.Verdict*).
type ProbeRoute struct {
	Route   string   `json:"route"`
	URL     string   `json:"url"`
	Public  bool     `json:"public"`
	Scopes  []string `json:"scopes"`
	Verdict string   `json:"verdict"`
	// Browser is what Chromium saw (a REST API's probe --browser; an HTTP
	// API's are checks of their own).
	Browser *probe.BrowserResult `json:"browser,omitempty"`
}

// Check verdicts.
const (
	CheckPass         = "pass"
	CheckFail         = "fail"
	CheckSkipped      = "skipped"
	CheckInconclusive = "inconclusive"
)

// ProbeCheck is one request: the route, what was sent, what was expected
// and got, the verdict and, when it is not a pass, the finding's code.
type ProbeCheck struct {
	Route  string `json:"route"`
	Method string `json:"method"`
	// Path is the request's path below BaseURL.
	Path     string       `json:"path"`
	Case     string       `json:"case"`
	Expected probe.Expect `json:"expected"`
	Status   int          `json:"status"`
	Class    probe.Class  `json:"class"`
	Verdict  string       `json:"verdict"`
	Code     string       `json:"code"`
	// CORS: the answer admitted the Origin sent.
	CORS   bool   `json:"cors"`
	Detail string `json:"detail"`

	// A REST API's own: why a token that looks valid is refused, why the
	// check was not sent, the gateway's message, the attempts.
	Why      string `json:"why,omitempty"`
	Skipped  string `json:"skipped,omitempty"`
	Message  string `json:"message,omitempty"`
	Attempts int    `json:"attempts,omitempty"`
	// An HTTP API's own: what was wanted, in words.
	Want string `json:"want,omitempty"`
}

func newProbeDocument(ds spec.Diagnostics, t plan.APIType, base string) *ProbeDocument {
	return &ProbeDocument{Envelope: Envelope(ds), FormatVersion: ProbeFormatVersion, APIType: t, BaseURL: base,
		Routes: []ProbeRoute{}, Checks: []ProbeCheck{}}
}

// NewProbeDocument builds it for a REST API.
func NewProbeDocument(ds spec.Diagnostics, res *probe.Result) *ProbeDocument {
	if res == nil {
		res = &probe.Result{}
	}
	doc := newProbeDocument(ds, plan.REST, res.BaseURL)
	doc.Requests = res.Requests
	for i := range res.Routes {
		row := &res.Routes[i]
		doc.Routes = append(doc.Routes, ProbeRoute{Route: row.Key, URL: row.URL, Public: row.Public, Scopes: nonNil(row.Scopes), Verdict: row.Verdict, Browser: row.Browser})
		path := strings.TrimPrefix(row.URL, res.BaseURL)
		for j := range row.Checks {
			c := &row.Checks[j]
			pc := ProbeCheck{Route: row.Key, Method: c.Method, Path: path, Case: string(c.Name), Expected: c.Expect, Status: c.Status, Class: c.Class,
				Code: c.Code(row), CORS: c.CORS, Why: c.Why, Skipped: c.Skipped, Message: c.Message, Attempts: c.Attempts}
			switch {
			case !c.Sent():
				pc.Verdict, pc.Detail = CheckSkipped, c.Skipped
			case c.Pass():
				pc.Verdict = CheckPass
			case pc.Code == probe.CodeInconclusive || pc.Code == probe.CodeDenied:
				pc.Verdict = CheckInconclusive
			default:
				pc.Verdict = CheckFail
			}
			if c.Error != "" {
				pc.Detail = c.Error
			} else if pc.Verdict != CheckPass && pc.Verdict != CheckSkipped {
				pc.Detail = strings.TrimSpace(fmt.Sprintf("answered %d %s", c.Status, c.Message))
			}
			doc.Checks = append(doc.Checks, pc)
		}
	}
	return doc
}

// NewHTTPProbeDocument builds it for an HTTP API from its cases.
func NewHTTPProbeDocument(ds spec.Diagnostics, api *spec.HTTPAPI, base string, cases []probe.HTTPCase) *ProbeDocument {
	doc := newProbeDocument(ds, plan.HTTP, base)
	for _, c := range cases {
		pc := ProbeCheck{Route: c.Route, Method: c.Method, Path: c.Path, Case: c.Case, Expected: c.Expect, Status: c.Status, Class: c.Class,
			Code: c.Code, CORS: c.CORS, Detail: c.Detail, Want: c.Want, Verdict: CheckPass}
		switch {
		case c.OK:
		case c.Code == probe.CodeInconclusive || c.Code == probe.CodeDenied:
			pc.Verdict = CheckInconclusive
		default:
			pc.Verdict = CheckFail
		}
		if c.Expect != probe.ExpectBrowser {
			doc.Requests++
		}
		doc.Checks = append(doc.Checks, pc)
	}
	if api == nil {
		return doc
	}
	for _, r := range api.Routes {
		url := base + r.Path
		for _, c := range cases {
			if c.Route == r.Key && c.Case != probe.CasePreflight {
				url = base + c.Path
				break
			}
		}
		doc.Routes = append(doc.Routes, ProbeRoute{Route: r.Key, URL: url, Public: r.AuthType == spec.AuthNone, Scopes: nonNil(r.Scopes),
			Verdict: probe.HTTPRouteVerdict(r, cases)})
	}
	return doc
}
