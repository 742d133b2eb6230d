package audit

import (
	"context"
	"fmt"
	"net/http"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Kind names: REST APIs (API Gateway v1) and HTTP APIs (v2).
const (
	KindREST = "rest"
	KindHTTP = "http"
)

// Probe says how --probe sends requests to the stages.
type Probe struct {
	// InvokeURL is a REST API stage's base URL (AWS's execute-api host,
	// or the local gateway's path form).
	InvokeURL func(region, id, stage string) string
	// HTTPInvokeURL is an HTTP API stage's base URL, from the API's
	// endpoint (nil: HTTP API stages are not probed).
	HTTPInvokeURL func(id, endpoint, stage string) string
	// RPS bounds the requests per second to one stage.
	RPS float64
	// Unsafe sends checks to unsafe methods too (never a body).
	Unsafe bool
	Client *http.Client
}

// REST audits REST APIs through package live's read-only reader.
type REST struct {
	// Connect returns the client for a region; it is called once per
	// region, so each region has its own pacer.
	Connect func(ctx context.Context, region string) (live.Reader, error)
	// Probe, when set, probes every deployed stage.
	Probe *Probe

	mu      sync.Mutex
	clients map[string]*regionClient
}

type regionClient struct {
	once sync.Once
	c    live.Reader
	err  error
}

// Name is "rest".
func (k *REST) Name() string { return KindREST }

func (k *REST) client(ctx context.Context, region string) (live.Reader, error) {
	k.mu.Lock()
	if k.clients == nil {
		k.clients = map[string]*regionClient{}
	}
	rc := k.clients[region]
	if rc == nil {
		rc = &regionClient{}
		k.clients[region] = rc
	}
	k.mu.Unlock()
	rc.once.Do(func() { rc.c, rc.err = k.Connect(ctx, region) })
	return rc.c, rc.err
}

// List pages through GetRestApis (500 a page).
func (k *REST) List(ctx context.Context, region string) ([]Ref, error) {
	c, err := k.client(ctx, region)
	if err != nil {
		return nil, err
	}
	var out []Ref
	var pos *string
	for {
		page, err := c.GetRestApis(ctx, &apigateway.GetRestApisInput{Limit: aws.Int32(500), Position: pos})
		if err != nil {
			return nil, fmt.Errorf("GetRestApis: %w", err)
		}
		for _, a := range page.Items {
			out = append(out, Ref{Kind: KindREST, Region: region, ID: aws.ToString(a.Id), Name: aws.ToString(a.Name)})
		}
		if page.Position == nil || *page.Position == "" {
			return out, nil
		}
		pos = page.Position
	}
}

// Audit reads the API once (every stage's deployment and export
// included), judges it and, with Probe, asks every deployed stage.
func (k *REST) Audit(ctx context.Context, ref Ref, j Judgement) (*APIResult, error) {
	c, err := k.client(ctx, ref.Region)
	if err != nil {
		return nil, err
	}
	s, err := live.Read(ctx, c, ref.ID, live.ReadOptions{})
	if err != nil {
		return nil, err
	}
	res, model := judgeREST(s, j)
	if k.Probe != nil {
		probeStages(ctx, k.Probe, s, model, res)
	}
	return res, nil
}

// probeStages sends the probe to each deployed stage, for the methods
// its deployment serves. Only warnings and errors become findings: the
// verdict of every route is in the table already.
func probeStages(ctx context.Context, p *Probe, s *state.State, model *spec.API, res *APIResult) {
	rows := map[string]*RouteRow{}
	for i := range res.Routes {
		rows[res.Routes[i].Key()] = &res.Routes[i]
	}
	for i := range res.Stages {
		st := &res.Stages[i]
		live := s.Stages[st.Name]
		if live == nil || live.Deployed == nil {
			continue
		}
		sub := *model
		sub.Routes = nil
		for _, r := range model.Routes {
			if _, ok := live.Deployed.Auth[r.Key()]; ok {
				sub.Routes = append(sub.Routes, r)
			}
		}
		st.InvokeURL = p.InvokeURL(res.Region, res.ID, st.Name)
		ds, pr, err := probe.Run(ctx, probe.Options{API: &sub, BaseURL: st.InvokeURL, RPS: p.RPS, Unsafe: p.Unsafe, Client: p.Client, Concurrency: 4})
		st.Probed = true
		if err != nil {
			res.Findings = append(res.Findings, Finding{Severity: spec.SeverityWarning, Code: probe.CodeInconclusive, Name: nameOf(probe.CodeInconclusive),
				Summary: "The probe could not run", Detail: err.Error(), ARN: res.ARN + "/stages/" + st.Name, Stage: st.Name, Source: "probe", Help: HelpURI(probe.CodeInconclusive)})
			continue
		}
		for _, rr := range pr.Routes {
			if row := rows[rr.Key]; row != nil {
				if row.Probe == nil {
					row.Probe = map[string]string{}
				}
				row.Probe[st.Name] = rr.Verdict
			}
		}
		for _, d := range ds {
			if d.Severity == spec.SeverityInfo {
				continue
			}
			f := fromDiagnostic(d, res.ARN+"/stages/"+st.Name)
			if row := rows[d.Route]; row != nil {
				f.ARN = row.ARN
			}
			f.Stage = st.Name
			f.Source = "probe"
			res.Findings = append(res.Findings, f)
		}
	}
	sortFindings(res.Findings)
}
