package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/audit"
	"github.com/portcullis-dev/portcullis/internal/loopback"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/policies"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/workflow"
)

type auditOptions struct {
	Load        LoadFlags
	AWS         AWSFlags
	Regions     []string
	Baseline    string
	Accounts    []string
	Format      string
	Out         string
	FailOn      string
	RuleOptions []string
	Probe       bool
	Unsafe      bool
	RPS         float64
	PerRegion   int
	Kinds       []string
}

func newAuditCmd(ios *IOStreams) *cobra.Command {
	o := &auditOptions{}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Audit every REST and HTTP API of an account, read-only: intent, deployment and the wire",
		Long: `Audit lists every REST API (and HTTP API, --kinds) in the regions asked for, reads each once with
read-only calls (apigateway:GET; see docs/audit.md for the exact policy), paced
per region to API Gateway's account limits, and judges it: the built-in rules,
the live-only checks (undeployed changes, methods a stage serves open, 401/403
answers without CORS, user pools in unexpected accounts, stages without a
deployment), intent from --baseline (descriptions matched by rest_api_id or by
name and region: what they declare public with a reason is accepted, anything
else open is a finding, APIs without a description are listed), and with
--probe what each deployed stage answers (safe methods only unless --unsafe).

Regions: --regions, else every region enabled for the account (EC2
DescribeRegions). With --local or --endpoint-url there is no account to ask, so
the default is the configured region (--region, AWS_REGION, the profile's;
us-east-1 for --local).

A region or API that cannot be read is reported (AUD009) and the rest goes on.

Exit status: 0 nothing at or above --fail-on, 1 findings (an unread region or
API counts as an error), 2 could not run (nothing could be read, bad flags,
a baseline that does not load).`,
		Example: `  portcullis audit --regions us-east-1,eu-west-1
  portcullis audit --baseline apis/ --format sarif -o audit.sarif
  portcullis audit --local --format html -o audit.html
  portcullis audit --profile security --baseline apis/ --probe --fail-on warning`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringSliceVar(&o.Regions, "regions", nil, "audit these `REGIONS` (comma-separated; default: every enabled region, or the configured one with --local/--endpoint-url)")
	f.StringVar(&o.Baseline, "baseline", "", "judge intent against the descriptions under `DIR` (matched by rest_api_id, else name and region)")
	f.StringSliceVar(&o.Accounts, "account", nil, "`ACCOUNTS` user pools are expected in (comma-separated; default: any)")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: "+strings.Join(audit.Formats(), ", "))
	f.StringVarP(&o.Out, "output", "o", "", "write the report to `FILE` (a summary line goes to stderr)")
	f.StringVar(&o.FailOn, "fail-on", "error", "lowest severity that makes the exit status 1: error, warning or info")
	f.StringArrayVar(&o.RuleOptions, "rule-option", nil, "tune a built-in rule: `ID.name=value` (repeatable)")
	f.BoolVar(&o.Probe, "probe", false, "also probe every deployed stage on the wire (no tokens: refusals and public reachability)")
	f.BoolVar(&o.Unsafe, "unsafe", false, "with --probe, send checks to unsafe methods too (still never a body)")
	f.Float64Var(&o.RPS, "rps", 5, "with --probe, requests per second to one stage")
	f.StringSliceVar(&o.Kinds, "kinds", []string{audit.KindREST, audit.KindHTTP}, "API kinds to audit: rest (v1), http (v2)")
	f.IntVar(&o.PerRegion, "concurrency", 4, "APIs read at once in one region (calls stay paced to the account limits)")
	return cmd
}

func runAudit(ctx context.Context, ios *IOStreams, o *auditOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	format := o.Format
	if !slices.Contains(audit.Formats(), format) {
		return failed("unknown --format %q (want one of %s)", format, strings.Join(audit.Formats(), ", "))
	}
	failOn, err := spec.ParseSeverity(o.FailOn)
	if err != nil {
		return failed("--fail-on: %v", err)
	}
	var rules policies.Config
	for _, ro := range o.RuleOptions {
		if err := rules.ParseRuleOption(ro); err != nil {
			return failed("%v", err)
		}
	}
	opts := audit.Options{Accounts: o.Accounts, Rules: rules, PerRegion: o.PerRegion}
	if o.Baseline != "" {
		environ := os.Environ
		if ios.Environ != nil {
			environ = ios.Environ
		}
		b, ds, err := audit.LoadBaseline(o.Baseline, load.Options{Assignments: o.Load.Assignments, Environ: environ(), AllowExternalRefs: o.Load.AllowExternalRefs})
		if err != nil {
			return failed("--baseline: %v", err)
		}
		if ds.HasErrors() {
			_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds})
			return failed("--baseline %s: a description does not load; fix it so intent is judged on all of them", o.Baseline)
		}
		opts.Baseline = b
	}

	ep, err := o.AWS.Endpoint(ios)
	if err != nil {
		return err
	}
	// The session's region (--region, else the environment's or the
	// profile's) serves DescribeRegions and is the default region. An
	// account with none configured is still audited: the first of
	// --regions, else us-east-1, answers DescribeRegions.
	sess, err := workflow.Connect(ctx, ep, "")
	if err != nil && ep.Region == "" && strings.Contains(err.Error(), "no AWS region") {
		ep.Region = "us-east-1"
		if len(o.Regions) > 0 {
			ep.Region = o.Regions[0]
		}
		sess, err = workflow.Connect(ctx, ep, "")
	}
	if err != nil {
		return couldNotRun(err)
	}
	defer sess.Close()
	opts.Regions = o.Regions
	if len(opts.Regions) == 0 {
		if sess.EndpointURL != "" || o.AWS.Local {
			opts.Regions = []string{sess.Region}
		} else {
			co := sess.Client.Options()
			opts.Regions, err = live.RegionLister{Credentials: co.Credentials, Region: sess.Region}.EnabledRegions(ctx)
			if err != nil {
				return failed("listing the account's regions (or pass --regions): %v", err)
			}
		}
	}
	kind := &audit.REST{Connect: func(ctx context.Context, region string) (live.Reader, error) {
		if region == sess.Region {
			return sess.Client, nil
		}
		cfg := live.Config{Profile: o.AWS.Profile, Region: region, EndpointURL: sess.EndpointURL, Local: sess.Local || loopback.URL(sess.EndpointURL)}
		if sess.Local {
			off := live.DefaultLimits().Scaled(0)
			cfg.Limits = &off
		}
		return live.NewClient(ctx, cfg)
	}}
	var pr *audit.Probe
	if o.Probe {
		// The path-style stage URL is trusted only on a gateway known to
		// serve it (moto serves no stages): the probe judges only what it
		// reached, never an unknown server's 404 as an open method.
		if err := workflow.CheckInvokeURL(ctx, sess); err != nil {
			return failed("--probe: %v", err)
		}
		pr = &audit.Probe{RPS: o.RPS, Unsafe: o.Unsafe, InvokeURL: func(region, id, stage string) string {
			if sess.EndpointURL != "" {
				return probe.LocalInvokeURL(sess.EndpointURL, id, stage)
			}
			return probe.InvokeURL(id, region, stage)
		}, HTTPInvokeURL: func(id, endpoint, stage string) string {
			return workflow.HTTPStageURL(sess, id, endpoint, stage)
		}}
		kind.Probe = pr
	}
	httpKind := &audit.HTTP{Connect: func(ctx context.Context, region string) (live.HTTPReader, error) {
		if region == sess.Region {
			return sess.HTTP, nil
		}
		cfg := live.Config{Profile: o.AWS.Profile, Region: region, EndpointURL: sess.EndpointURL, Local: sess.Local || loopback.URL(sess.EndpointURL)}
		if sess.Local {
			off := live.DefaultLimits().Scaled(0)
			cfg.Limits = &off
		}
		return live.NewHTTPClient(ctx, cfg)
	}, Probe: pr}
	for _, k := range o.Kinds {
		switch k {
		case audit.KindREST:
			opts.Kinds = append(opts.Kinds, kind)
		case audit.KindHTTP:
			opts.Kinds = append(opts.Kinds, httpKind)
		default:
			return failed("unknown --kinds %q (want rest, http)", k)
		}
	}

	rep, err := audit.Run(ctx, opts)
	if err != nil {
		return failed("audit: %v", err)
	}
	defer rep.Close()
	rep.Summary.Probed = o.Probe
	readable := false
	for _, r := range rep.Summary.Regions {
		if r.Error == nil {
			readable = true
		}
	}
	if err := writeAudit(ios, o, rep); err != nil {
		return failed("%v", err)
	}
	if !readable {
		return failed("no region could be read")
	}
	if rep.Summary.Findings.AtLeast(failOn) > 0 {
		return findings()
	}
	return nil
}

// writeAudit renders to --output (written beside, then renamed, so a
// failed run never leaves half a report) or standard output.
func writeAudit(ios *IOStreams, o *auditOptions, rep *audit.Report) error {
	meta := audit.Meta{ToolVersion: Version, Generated: time.Now()}
	if o.Out == "" {
		return audit.Write(ios.Out, o.Format, rep, meta)
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.Out), ".portcullis-audit-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := audit.Write(tmp, o.Format, rep, meta); err != nil {
		tmp.Close()
		return err
	}
	// A report is meant to be shared: the usual mode, not CreateTemp's 0600.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), o.Out); err != nil {
		return err
	}
	s := rep.Summary
	fmt.Fprintf(ios.ErrOut, "Wrote %s: %d APIs, %d methods; %d error, %d warning, %d info.\n", o.Out, s.APIs, s.Methods, s.Findings.Error, s.Findings.Warning, s.Findings.Info)
	return nil
}
