package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/aws/smithy-go"

	"github.com/portcullis-dev/portcullis/policies"
)

// Ref names one API found by listing a region.
type Ref struct {
	Kind   string
	Region string
	ID     string
	Name   string
}

// ARN is the API's resource ARN: /restapis/ID for REST APIs, /apis/ID
// for HTTP APIs.
func (r Ref) ARN() string {
	if r.Kind == KindHTTP {
		return "arn:aws:apigateway:" + r.Region + "::/apis/" + r.ID
	}
	return restARN(r.Region, r.ID)
}

func (r Ref) kindName() string {
	if r.Kind == KindHTTP {
		return "HTTP API"
	}
	return "REST API"
}

// Kind is one family of API Gateway APIs. REST (v1) is REST; HTTP APIs
// (v2) plug in as another Kind with their own lister and reader. A Kind
// owns its per-region clients, so each region is paced on its own, as
// API Gateway's limits are per account and region.
type Kind interface {
	// Name is "rest" or "http".
	Name() string
	// List returns the kind's APIs in region, with read-only calls.
	List(ctx context.Context, region string) ([]Ref, error)
	// Audit reads one API once and judges it.
	Audit(ctx context.Context, ref Ref, j Judgement) (*APIResult, error)
}

// Options say what to audit and how.
type Options struct {
	// Regions to audit; the caller resolves "all enabled regions".
	Regions []string
	Kinds   []Kind
	// Baseline is the intent (nil: no --baseline, every open method's
	// intent is unknown).
	Baseline *Baseline
	// Accounts are the accounts user pools are expected in (empty: any).
	Accounts []string
	Rules    policies.Config
	// PerRegion bounds the APIs read at once in one region (default 4).
	// The pacer, not this, keeps the calls under the account limits; this
	// only lets calls overlap their round trips.
	PerRegion int
	// SpoolDir holds the temporary per-region spools ("" = os.TempDir).
	SpoolDir string
}

// Run audits every region at once and, within each, PerRegion APIs at
// once. A region or API that cannot be read is recorded as such and the
// rest goes on; Run fails only when the spool cannot be written or ctx
// ends. Close the report when done with it.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.PerRegion <= 0 {
		opts.PerRegion = 4
	}
	regions := append([]string(nil), opts.Regions...)
	sort.Strings(regions)
	regions = dedupe(regions)
	rep := &Report{}
	if opts.Baseline != nil {
		rep.Summary.Baseline = opts.Baseline.Dir
	}
	type regionOut struct {
		sum Summary
		rr  RegionResult
		sp  *spool
		err error
	}
	outs := make([]regionOut, len(regions))
	var wg sync.WaitGroup
	for i, region := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sp, err := newSpool(opts.SpoolDir)
			if err != nil {
				outs[i].err = err
				return
			}
			outs[i].sp = sp
			outs[i].rr, outs[i].err = auditRegion(ctx, opts, region, sp, &outs[i].sum)
		}()
	}
	wg.Wait()
	for _, o := range outs {
		if o.sp != nil {
			rep.spools = append(rep.spools, o.sp)
		}
	}
	for _, o := range outs {
		if o.err != nil {
			_ = rep.Close()
			return nil, o.err
		}
	}
	for _, o := range outs {
		rep.Summary.merge(o.sum)
		rep.Summary.Regions = append(rep.Summary.Regions, o.rr)
		if o.rr.Error != nil {
			rep.Summary.Findings.Error++
		}
	}
	return rep, ctx.Err()
}

func auditRegion(ctx context.Context, opts Options, region string, sp *spool, sum *Summary) (RegionResult, error) {
	rr := RegionResult{Region: region}
	var refs []Ref
	var listErrs []string
	var listCode string
	for _, k := range opts.Kinds {
		rs, err := k.List(ctx, region)
		if err != nil {
			if ctx.Err() != nil {
				return rr, ctx.Err()
			}
			listCode = errorCode(err)
			listErrs = append(listErrs, fmt.Sprintf("listing %s APIs: %v", k.Name(), err))
			continue
		}
		refs = append(refs, rs...)
	}
	if len(listErrs) > 0 {
		rr.Error = &ReadError{Code: listCode, Message: strings.Join(listErrs, "; ")}
	}
	sort.Slice(refs, func(i, j int) bool {
		a, b := refs[i], refs[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Kind < b.Kind
	})
	rr.APIs = len(refs)
	kinds := map[string]Kind{}
	for _, k := range opts.Kinds {
		kinds[k.Name()] = k
	}

	// Results are written in listing order while up to PerRegion reads
	// run; the window bounds how many finished results wait for an
	// earlier, slower one, so memory stays flat however many APIs there are.
	window := make(chan struct{}, 2*opts.PerRegion)
	slots := make([]chan *APIResult, len(refs))
	for i := range slots {
		slots[i] = make(chan *APIResult, 1)
	}
	work := make(chan int)
	go func() {
		defer close(work)
		for i := range refs {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			work <- i
		}
	}()
	for w := 0; w < opts.PerRegion; w++ {
		go func() {
			for i := range work {
				slots[i] <- auditOne(ctx, kinds[refs[i].Kind], refs[i], opts)
			}
		}()
	}
	for i := range refs {
		var r *APIResult
		select {
		case r = <-slots[i]:
		case <-ctx.Done():
			return rr, ctx.Err()
		}
		if err := sp.write(r); err != nil {
			return rr, err
		}
		sum.add(r)
		<-window
	}
	return rr, nil
}

func auditOne(ctx context.Context, k Kind, ref Ref, opts Options) *APIResult {
	j := Judgement{Region: ref.Region, HaveBaseline: opts.Baseline != nil, Accounts: opts.Accounts, Rules: opts.Rules}
	described := ""
	if ref.Kind == KindHTTP {
		j.HTTPBaseline = opts.Baseline.MatchHTTP(ref.Region, ref.ID, ref.Name)
		if j.HTTPBaseline != nil {
			described = j.HTTPBaseline.Range.Filename
		}
	} else {
		j.Baseline = opts.Baseline.Match(ref.Region, ref.ID, ref.Name)
		described = File(j.Baseline)
	}
	r, err := k.Audit(ctx, ref, j)
	if err == nil {
		return r
	}
	arn := ref.ARN()
	f := finding(CodeUnreadable, arn, "", "", fmt.Sprintf("%s %q (%s) in %s could not be read: %v", ref.kindName(), ref.Name, ref.ID, ref.Region, err))
	return &APIResult{Kind: ref.Kind, Region: ref.Region, ID: ref.ID, Name: ref.Name, ARN: arn, Baseline: described,
		Error: &ReadError{Code: errorCode(err), Message: err.Error()}, Findings: []Finding{f}}
}

// errorCode is API Gateway's error type, or "error".
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != "" {
		return ae.ErrorCode()
	}
	return "error"
}

func (s *Summary) merge(o Summary) {
	s.APIs += o.APIs
	s.Unreadable += o.Unreadable
	s.Undescribed += o.Undescribed
	s.Stages += o.Stages
	s.Methods += o.Methods
	s.Open += o.Open
	s.Accepted += o.Accepted
	s.Findings.Error += o.Findings.Error
	s.Findings.Warning += o.Findings.Warning
	s.Findings.Info += o.Findings.Info
	s.Suppressed += o.Suppressed
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}
