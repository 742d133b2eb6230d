package audit

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	v2types "github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// HTTP audits HTTP APIs (API Gateway v2) through package live's v2 reader:
// GetApi, GetAuthorizers, GetIntegrations, GetRoutes, GetStages and one
// ExportApi per deployed stage. WebSocket APIs are skipped.
type HTTP struct {
	// Connect returns the apigatewayv2 client for a region; it is called
	// once per region.
	Connect func(ctx context.Context, region string) (live.HTTPReader, error)
	// Probe, when set, probes every deployed stage (its HTTPInvokeURL).
	Probe *Probe

	mu      sync.Mutex
	clients map[string]*httpClient
}

type httpClient struct {
	once sync.Once
	c    live.HTTPReader
	err  error
}

// Name is "http".
func (k *HTTP) Name() string { return KindHTTP }

func (k *HTTP) client(ctx context.Context, region string) (live.HTTPReader, error) {
	k.mu.Lock()
	if k.clients == nil {
		k.clients = map[string]*httpClient{}
	}
	rc := k.clients[region]
	if rc == nil {
		rc = &httpClient{}
		k.clients[region] = rc
	}
	k.mu.Unlock()
	rc.once.Do(func() { rc.c, rc.err = k.Connect(ctx, region) })
	return rc.c, rc.err
}

// List pages through GetApis (500 a page), keeping HTTP APIs.
func (k *HTTP) List(ctx context.Context, region string) ([]Ref, error) {
	c, err := k.client(ctx, region)
	if err != nil {
		return nil, err
	}
	var out []Ref
	var tok *string
	for {
		page, err := c.GetApis(ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String("500"), NextToken: tok})
		if err != nil {
			return nil, fmt.Errorf("GetApis: %w", err)
		}
		for _, a := range page.Items {
			if a.ProtocolType == v2types.ProtocolTypeHttp {
				out = append(out, Ref{Kind: KindHTTP, Region: region, ID: aws.ToString(a.ApiId), Name: aws.ToString(a.Name)})
			}
		}
		if tok = page.NextToken; tok == nil || *tok == "" {
			return out, nil
		}
	}
}

// Audit reads the HTTP API once and judges it.
func (k *HTTP) Audit(ctx context.Context, ref Ref, j Judgement) (*APIResult, error) {
	c, err := k.client(ctx, ref.Region)
	if err != nil {
		return nil, err
	}
	s, err := live.ReadHTTPAPI(ctx, c, ref.ID, ref.Region)
	if err != nil {
		return nil, err
	}
	res, model := judgeHTTP(s, j)
	if k.Probe != nil && k.Probe.HTTPInvokeURL != nil {
		probeHTTPStages(ctx, k.Probe, s, model, res)
	}
	return res, nil
}

// probeHTTPStages sends the v2 probe (no tokens: refusals, public routes,
// preflights) to each deployed stage for the routes its deployment serves.
func probeHTTPStages(ctx context.Context, p *Probe, s *state.HTTPAPI, model *spec.HTTPAPI, res *APIResult) {
	rows := map[string]*RouteRow{}
	for i := range res.Routes {
		r := &res.Routes[i]
		key := r.Key()
		if r.Path == "" {
			key = r.Method // $default
		}
		rows[key] = r
	}
	for i := range res.Stages {
		st := &res.Stages[i]
		ls := s.Stages[st.Name]
		if ls == nil || ls.Deployed == nil {
			continue
		}
		sub := *model
		sub.Routes = nil
		for _, r := range model.Routes {
			if _, ok := ls.Deployed.Auth[r.Key]; ok {
				sub.Routes = append(sub.Routes, r)
			}
		}
		st.InvokeURL = p.HTTPInvokeURL(res.ID, s.Endpoint, st.Name)
		st.Probed = true
		cases, ds, err := probe.HTTP(ctx, probe.HTTPOptions{API: &sub, BaseURL: st.InvokeURL, Unsafe: p.Unsafe, Client: p.Client})
		if err != nil {
			res.Findings = append(res.Findings, Finding{Severity: spec.SeverityWarning, Code: probe.CodeInconclusive, Name: nameOf(probe.CodeInconclusive),
				Summary: "The probe could not run", Detail: err.Error(), ARN: res.ARN + "/stages/" + st.Name, Stage: st.Name, Source: "probe", Help: HelpURI(probe.CodeInconclusive)})
			continue
		}
		failed := map[string][]string{}
		public := map[string]bool{}
		for _, c := range cases {
			if !c.OK {
				failed[c.Route] = append(failed[c.Route], c.Case)
			}
			if c.Case == probe.CasePublic {
				public[c.Route] = true
			}
		}
		for _, c := range cases {
			row := rows[c.Route]
			if row == nil {
				continue
			}
			if row.Probe == nil {
				row.Probe = map[string]string{}
			}
			switch {
			case len(failed[c.Route]) > 0:
				row.Probe[st.Name] = "FAILED " + strings.Join(failed[c.Route], ", ")
			case public[c.Route]:
				row.Probe[st.Name] = probe.VerdictPublic
			default:
				row.Probe[st.Name] = probe.VerdictProtected
			}
		}
		// The v2 probe's findings carry the probe's codes and severities
		// (probe.Rules), one rule set for both kinds; the information on
		// the refusals' CORS headers is the probe's own, not a finding.
		for _, d := range ds {
			if d.Severity == spec.SeverityInfo {
				continue
			}
			code := d.Code
			f := Finding{Severity: d.Severity, Code: code, Name: nameOf(code), Summary: d.Summary, Detail: d.Detail, ARN: res.ARN + "/stages/" + st.Name,
				Route: d.Route, Stage: st.Name, Source: "probe", Help: HelpURI(code)}
			if row := rows[d.Route]; row != nil {
				f.ARN = row.ARN
			}
			res.Findings = append(res.Findings, f)
		}
	}
	sortFindings(res.Findings)
}

// judgeHTTP is judgeREST for an HTTP API: the rules on the model with
// intent from the baseline, what each stage's deployment serves against
// the routes now, and the issuers the description expects.
func judgeHTTP(s *state.HTTPAPI, j Judgement) (*APIResult, *spec.HTTPAPI) {
	arn := Ref{Kind: KindHTTP, Region: j.Region, ID: s.APIID}.ARN()
	m := s.Model
	b := j.HTTPBaseline
	res := &APIResult{Kind: KindHTTP, Region: j.Region, ID: s.APIID, Name: m.Name, Description: m.Description, ARN: arn}
	if b != nil {
		res.Baseline = b.Range.Filename
	}
	model := *m
	model.Region = j.Region
	model.Range = spec.Range{Filename: arn}
	model.Routes, model.Authorizers, model.Suppressions = nil, nil, nil
	accepted := map[string]string{}
	for _, r := range m.Routes {
		c := *r
		c.Range = spec.Range{Filename: arn + "/routes/" + r.ID}
		c.Public, c.Reason = false, ""
		if b != nil {
			if br := b.Route(r.Key); br != nil {
				c.Suppressions = br.Suppressions
				if c.AuthType == spec.AuthNone && br.Public && strings.TrimSpace(br.Reason) != "" {
					c.Public, c.Reason = true, br.Reason
					accepted[r.Key] = br.Reason
				}
			}
		}
		model.Routes = append(model.Routes, &c)
	}
	for _, a := range m.Authorizers {
		c := *a
		c.Range = spec.Range{Filename: arn + "/authorizers/" + a.ID}
		if b != nil {
			if ba := b.AuthorizerByName(a.Name); ba != nil {
				c.Suppressions = ba.Suppressions
			}
		}
		model.Authorizers = append(model.Authorizers, &c)
	}
	if b != nil {
		model.Suppressions = b.Suppressions
	}

	stages := make([]string, 0, len(s.Stages))
	for n := range s.Stages {
		stages = append(stages, n)
	}
	sort.Strings(stages)

	var fs []Finding
	one := &spec.Description{HTTPAPIs: []*spec.HTTPAPI{&model}}
	for _, d := range policies.Finish(one, policies.Check(one, j.Rules)) {
		switch d.Code {
		case "PCA017", "PCA018":
			continue
		case "PCA001":
			var serving []string
			for _, n := range stages {
				if st := s.Stages[n]; st.Deployed != nil && st.Deployed.Auth[d.Route] == spec.AuthNone {
					serving = append(serving, n)
				}
			}
			fs = append(fs, openFinding(d, b != nil, b != nil && b.Route(d.Route) != nil, serving))
			continue
		}
		fs = append(fs, fromDiagnostic(d, arn))
	}

	working := map[string]string{}
	routeARN := map[string]string{}
	for _, r := range s.Routes {
		name := ""
		if az := s.AuthorizerByID(r.AuthorizerID); az != nil {
			name = az.Name
		}
		working[r.Key] = state.RouteAuth(r.AuthorizationType, name, r.Scopes)
		routeARN[r.Key] = arn + "/routes/" + r.ID
	}
	for _, r := range model.Routes {
		row := RouteRow{Method: r.Method, Path: r.Path, Authorization: r.AuthType, Authorizer: r.Authorizer, Scopes: r.Scopes,
			Accepted: accepted[r.Key], Deployed: map[string]string{}, ARN: routeARN[r.Key]}
		if row.Method == "" {
			row.Method = r.Key // $default
		}
		for _, n := range stages {
			st := s.Stages[n]
			switch {
			case st.DeploymentID == "":
			case st.Deployed == nil:
				row.Deployed[n] = unknown
			default:
				if auth, ok := st.Deployed.Auth[r.Key]; ok {
					row.Deployed[n], _, _ = strings.Cut(auth, " ")
				}
			}
		}
		res.Routes = append(res.Routes, row)
	}
	for _, n := range stages {
		st := s.Stages[n]
		sarn := arn + "/stages/" + n
		row := StageRow{Name: n, DeploymentID: st.DeploymentID}
		if st.DeploymentID == "" {
			fs = append(fs, finding(CodeNoDeployment, sarn, "", n, fmt.Sprintf("Stage %q points at no deployment.", n)))
			res.Stages = append(res.Stages, row)
			continue
		}
		if st.Deployed == nil {
			fs = append(fs, finding(CodeUnverified, sarn, "", n,
				fmt.Sprintf("Stage %q: ExportApi gave no usable export of deployment %s; what it serves was not compared.", n, st.DeploymentID)))
		}
		if d := st.Deployed; d != nil {
			for _, key := range sortedKeys(working) {
				dep, ok := d.Auth[key]
				switch {
				case !ok:
					row.Undeployed = append(row.Undeployed, fmt.Sprintf("%s: (absent) -> %s", key, working[key]))
				case dep != working[key]:
					row.Undeployed = append(row.Undeployed, fmt.Sprintf("%s: %s -> %s", key, dep, working[key]))
				}
			}
			for _, key := range sortedKeys(d.Auth) {
				now, ok := working[key]
				if !ok {
					row.Undeployed = append(row.Undeployed, fmt.Sprintf("%s: %s -> (deleted)", key, d.Auth[key]))
				}
				if d.Auth[key] != spec.AuthNone || accepted[key] != "" || ok && now == spec.AuthNone {
					continue
				}
				was := "protects it with " + now
				if !ok {
					was = "no longer has it"
				}
				fs = append(fs, finding(CodeServedOpen, sarn, key, n,
					fmt.Sprintf("Stage %q serves %s with authorization NONE, while the working configuration %s: the protection was never deployed.", n, key, was)))
			}
		}
		if len(row.Undeployed) > 0 {
			fs = append(fs, finding(CodeUndeployed, sarn, "", n,
				fmt.Sprintf("Stage %q serves deployment %s, which differs from the routes now (deployed -> working): %s.", n, st.DeploymentID, strings.Join(row.Undeployed, "; "))))
		}
		res.Stages = append(res.Stages, row)
	}
	for _, a := range s.Authorizers {
		res.Authorizers = append(res.Authorizers, AuthorizerRow{ID: a.ID, Name: a.Name, Type: a.Type, Pools: []string{a.Issuer}, IdentitySource: strings.Join(a.IdentitySources, ",")})
		if b == nil {
			continue
		}
		if ba := b.AuthorizerByName(a.Name); ba != nil && ba.Issuer != "" && ba.Issuer != a.Issuer {
			fs = append(fs, finding(CodePoolUnexpected, arn+"/authorizers/"+a.ID, "", "",
				fmt.Sprintf("Authorizer %q trusts issuer %s, but its description names %s.", a.Name, a.Issuer, ba.Issuer)))
		}
	}
	if j.HaveBaseline && b == nil {
		fs = append(fs, finding(CodeNoDescription, arn, "", "",
			fmt.Sprintf("No description in the baseline matches HTTP API %q (%s) in %s by api_id or by name and region.", m.Name, s.APIID, j.Region)))
	}
	sortFindings(fs)
	res.Findings = fs
	return res, &model
}
