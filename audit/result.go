package audit

import (
	"sort"

	"github.com/portcullis-dev/portcullis/spec"
)

// FormatVersion is the JSON schema version of an audit report. A consumer
// checks the major part: new fields bump the minor, renamed or removed
// ones the major.
const FormatVersion = "1.0"

// APIResult is one API as the audit saw and judged it. It holds only what
// the reports show, never the raw live state.
type APIResult struct {
	Kind        string `json:"kind"` // "rest" (v1), "http" (v2)
	Region      string `json:"region"`
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	ARN         string `json:"arn"`
	// Baseline is the description file the API was matched to ("" none).
	Baseline string `json:"baseline,omitempty"`
	// Error is set when the API could not be read; nothing else is then.
	Error *ReadError `json:"error,omitempty"`

	Authorizers []AuthorizerRow `json:"authorizers"`
	Stages      []StageRow      `json:"stages"`
	Routes      []RouteRow      `json:"routes"`
	Findings    []Finding       `json:"findings"`
}

// AuthorizerRow is one authorizer.
type AuthorizerRow struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Type           string   `json:"type"`
	Pools          []string `json:"user_pool_arns,omitempty"`
	IdentitySource string   `json:"identity_source,omitempty"`
	TTLSeconds     int      `json:"ttl_seconds"`
}

// StageRow is one stage and what it serves.
type StageRow struct {
	Name         string `json:"name"`
	DeploymentID string `json:"deployment_id,omitempty"`
	// Undeployed lists what the working configuration has that the stage
	// does not serve (deployed -> working), empty when it is current.
	Undeployed []string `json:"undeployed,omitempty"`
	InvokeURL  string   `json:"invoke_url,omitempty"`
	// Probed is true when --probe sent requests to the stage.
	Probed bool `json:"probed,omitempty"`
}

// RouteRow is one method: a row of the HTML table.
type RouteRow struct {
	Method        string   `json:"method"`
	Path          string   `json:"path"`
	Authorization string   `json:"authorization"`
	Authorizer    string   `json:"authorizer,omitempty"`
	Scopes        []string `json:"scopes,omitempty"`
	// Accepted is the baseline's reason when the method is public on
	// purpose ("" otherwise).
	Accepted string `json:"accepted,omitempty"`
	// Deployed maps a stage name to the authorization type its deployment
	// serves for this method; a stage without the method is absent.
	Deployed map[string]string `json:"deployed"`
	// Probe maps a stage name to the probe's verdict for the method.
	Probe map[string]string `json:"probe,omitempty"`
	ARN   string            `json:"arn"`
}

// Key is "GET /items".
func (r RouteRow) Key() string { return r.Method + " " + r.Path }

// Finding is one judged fact.
type Finding struct {
	Severity spec.Severity `json:"severity"`
	Code     string        `json:"code"`
	Name     string        `json:"name"`
	Summary  string        `json:"summary"`
	Detail   string        `json:"detail,omitempty"`
	// ARN locates the finding: the method, authorizer, stage, gateway
	// response or API it concerns.
	ARN    string `json:"arn"`
	Route  string `json:"route,omitempty"`
	Stage  string `json:"stage,omitempty"`
	Source string `json:"source"` // "policy", "audit", "probe"
	// Help is the rule's documentation page.
	Help string `json:"help_uri"`
	// Suppressed findings were silenced by the baseline's ignore with a
	// reason; they are listed but do not count.
	Suppressed     bool   `json:"suppressed,omitempty"`
	SuppressReason string `json:"suppress_reason,omitempty"`
}

// ReadError is a region or API the audit could not read.
type ReadError struct {
	// Code is API Gateway's error type (AccessDeniedException,
	// TooManyRequestsException, ...) or "error".
	Code    string `json:"code"`
	Message string `json:"message"`
}

// RegionResult is one region's outcome.
type RegionResult struct {
	Region string     `json:"region"`
	APIs   int        `json:"apis"`
	Error  *ReadError `json:"error,omitempty"`
}

// Summary counts everything, for the top of every report.
type Summary struct {
	Regions     []RegionResult `json:"regions"`
	APIs        int            `json:"apis"`
	Unreadable  int            `json:"apis_unreadable"`
	Undescribed int            `json:"apis_without_description"`
	Stages      int            `json:"stages"`
	Methods     int            `json:"methods"`
	Open        int            `json:"methods_open"`
	Accepted    int            `json:"methods_open_accepted"`
	Findings    SeverityCounts `json:"findings"`
	Suppressed  int            `json:"findings_suppressed"`
	// Baseline is the --baseline directory ("" none).
	Baseline string `json:"baseline,omitempty"`
	Probed   bool   `json:"probed"`
}

// SeverityCounts counts unsuppressed findings by severity.
type SeverityCounts struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// AtLeast counts the findings at sev or more severe.
func (c SeverityCounts) AtLeast(sev spec.Severity) int {
	n := c.Error
	if sev >= spec.SeverityWarning {
		n += c.Warning
	}
	if sev >= spec.SeverityInfo {
		n += c.Info
	}
	return n
}

func (s *Summary) add(r *APIResult) {
	s.APIs++
	if r.Error != nil {
		s.Unreadable++
	}
	s.Stages += len(r.Stages)
	s.Methods += len(r.Routes)
	for _, rt := range r.Routes {
		if rt.Authorization == spec.AuthNone {
			s.Open++
			if rt.Accepted != "" {
				s.Accepted++
			}
		}
	}
	for _, f := range r.Findings {
		if f.Code == CodeNoDescription {
			s.Undescribed++
		}
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		switch f.Severity {
		case spec.SeverityError:
			s.Findings.Error++
		case spec.SeverityWarning:
			s.Findings.Warning++
		default:
			s.Findings.Info++
		}
	}
}

// sortFindings orders findings most severe first, then by route and code,
// so reports are stable.
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		if a.Route != b.Route {
			return a.Route < b.Route
		}
		if a.Stage != b.Stage {
			return a.Stage < b.Stage
		}
		if a.Code != b.Code {
			return a.Code < b.Code
		}
		return a.Detail < b.Detail
	})
}
