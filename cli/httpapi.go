package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/browser"
	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/importer"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
	"github.com/portcullis-dev/portcullis/tokens"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

// The HTTP API (API Gateway v2) side of plan, apply, drift and probe: the
// same commands pick it when the API the description names is an
// http_api. docs/live.md says what differs from REST APIs.

func runPlanHTTP(ctx context.Context, ios *IOStreams, o *planOptions, t *workflow.Target, sess *workflow.Session) error {
	p, _, err := workflow.PlanHTTP(ctx, sess, t.HTTPAPI, o.Stage, o.Prune, o.NewStage)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	return showPlan(ios, o, t.Desc.Files, shownPlan{
		diags: p.Diagnostics, empty: p.Empty(), save: p.Save,
		doc:  func(saved string) any { return views.NewHTTPPlanDocument(p, saved) },
		text: func(w io.Writer, colour bool) error { return views.HTTPPlanText(w, p, colour) },
	})
}

func runApplyHTTP(ctx context.Context, ios *IOStreams, o *applyOptions, t *workflow.Target, sess *workflow.Session) error {
	var p *plan.HTTPPlan
	var have *state.HTTPAPI
	var err error
	if o.PlanFile != "" {
		saved, lerr := plan.LoadHTTP(o.PlanFile)
		if lerr != nil {
			return o.Output.Fail(ios, &workflow.Error{Step: "plan", Err: fmt.Errorf("%v: make one with portcullis plan %s -o %s", lerr, o.Path, o.PlanFile)})
		}
		p, have, err = workflow.PlanSavedHTTP(ctx, sess, t.HTTPAPI, saved, o.PlanFile)
	} else {
		p, have, err = workflow.PlanHTTP(ctx, sess, t.HTTPAPI, o.Stage, o.Prune, o.NewStage)
	}
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	text := o.Output.Format == "text"
	doc := views.ApplyDocument{Envelope: views.Envelope(p.Diagnostics), Changed: !p.Empty(), Plan: p}
	finish := applyFinisher(ios, text, &doc)
	// With --format json the one document goes to stdout at the end.
	out := ios.Out
	if !text {
		out = ios.ErrOut
	}
	if text {
		notes(ios, t.Desc.Files, p.Diagnostics)
		if err := views.HTTPPlanText(ios.Out, p, ios.Color()); err != nil {
			return failed("%v", err)
		}
	}
	if p.Diagnostics.HasErrors() {
		return finish(failed("the plan has errors (above): nothing was changed"))
	}
	if o.DryRun {
		return finish(nil)
	}
	id, endpoint := p.APIID, ""
	if have != nil {
		endpoint = have.Endpoint
	}
	if !p.Empty() {
		if !o.AutoApprove {
			if err := confirm(ios); err != nil {
				return err
			}
		}
		var res apply.HTTPResult
		if o.Strategy == "import" {
			p, res, err = workflow.ApplyHTTPImport(ctx, sess, t.HTTPAPI, have, p, workflow.HTTPImportOptions{Prune: o.Prune, Progress: newProgress(ios),
				Notify: func(format string, args ...any) { fmt.Fprintf(ios.ErrOut, format+"\n", args...) }})
			doc.Plan = p
		} else {
			res, err = workflow.ApplyHTTP(ctx, sess, p, have, newProgress(ios))
		}
		if err != nil {
			if text {
				return o.Output.Fail(ios, err)
			}
			return finish(couldNotRun(err))
		}
		id = res.APIID
		doc.Applied, doc.Result = true, views.NewHTTPApplyResult(res, p.Stage, httpInvokeURL(ctx, sess, res.APIID, endpoint, p.Stage))
		fmt.Fprintf(out, "\nApply complete: %s.\n", res.Summary())
	}
	if !o.Probe {
		return finish(nil)
	}
	if endpoint == "" {
		// A new API: read its endpoint back.
		h, err := workflow.ReadHTTP(ctx, sess, t.HTTPAPI)
		if err != nil || h == nil {
			return finish(couldNotRun(fmt.Errorf("reading the API back for the probe: %v", err)))
		}
		id, endpoint = h.APIID, h.Endpoint
	}
	if p.Stage == "" {
		return finish(failed("--probe needs a stage: describe one or pass --stage"))
	}
	base := workflow.HTTPStageURL(sess, id, endpoint, p.Stage)
	cases, ds, err := probeHTTPRun(ctx, ios, &o.ProbeTokens, o.AWS.StateDir, t, base, sess.Local || localTarget(endpoint) || localTarget(sess.EndpointURL), probe.HTTPOptions{})
	if fix := localServeCite(ios, sess); fix != nil && err == nil {
		citeIn(ds, fix)
		base = fix(base)
	}
	doc.Probe = views.NewHTTPProbeDocument(ds, t.HTTPAPI, base, cases)
	if err != nil {
		return finish(err)
	}
	if err := probe.WriteHTTPTable(out, cases); err != nil {
		return finish(failed("%v", err))
	}
	notes(ios, t.Desc.Files, ds)
	if ds.HasErrors() {
		return finish(findings())
	}
	return finish(nil)
}

// httpInvokeURL is the stage's URL for apply's JSON result, "" when it is
// not known (a new API's endpoint before it is read back, a gateway that
// serves no path-style stage URL).
func httpInvokeURL(ctx context.Context, sess *workflow.Session, id, endpoint, stage string) string {
	if stage == "" || (endpoint == "" && !sess.Local) || workflow.CheckInvokeURL(ctx, sess) != nil {
		return ""
	}
	return workflow.HTTPStageURL(sess, id, endpoint, stage)
}

// probeHTTP is `probe` for an HTTP API: the matrix against base in the
// chosen format (text: the table, then the findings on stderr). sess is
// the session the stage was found through (nil with --base-url): against
// --local's embedded gateway the findings and the JSON cite the address
// `local serve` serves the stage at, as a REST API's probe does.
func probeHTTP(ctx context.Context, ios *IOStreams, format string, tf *ProbeTokenFlags, stateDir string, t *workflow.Target, base string, local bool, opts probe.HTTPOptions, sess *workflow.Session) error {
	cases, ds, err := probeHTTPRun(ctx, ios, tf, stateDir, t, base, local, opts)
	if err != nil {
		return err
	}
	if fix := localServeCite(ios, sess); fix != nil {
		citeIn(ds, fix)
		base = fix(base)
	}
	switch format {
	case "text":
		err = probe.WriteHTTPTable(ios.Out, cases)
		notes(ios, t.Desc.Files, ds)
	case "json":
		err = views.WriteJSON(ios.Out, views.NewHTTPProbeDocument(ds, t.HTTPAPI, base, cases))
	default:
		err = report.Write(ios.Out, format, &report.Report{Diagnostics: ds, Files: t.Desc.Files, Color: ios.Color(), Rules: probe.Rules(), ToolVersion: Version})
	}
	if err != nil {
		return failed("%v", err)
	}
	if ds.HasErrors() {
		return findings()
	}
	return nil
}

// probeHTTPRun sends the v2 matrix to base and returns its cases and
// findings; valid tokens are the ones the flags name, else minted by the
// built-in issuer when the stage is on this machine (where the local
// gateway trusts it). opts carries the browser and the limits.
func probeHTTPRun(ctx context.Context, ios *IOStreams, tf *ProbeTokenFlags, stateDir string, t *workflow.Target, base string, local bool, opts probe.HTTPOptions) ([]probe.HTTPCase, spec.Diagnostics, error) {
	opts.API, opts.BaseURL, opts.Unsafe = t.HTTPAPI, base, opts.Unsafe || local
	say := func(format string, args ...any) {
		if opts.Debug != nil {
			fmt.Fprintf(opts.Debug, "probe: "+format+"\n", args...)
		}
	}
	if tf.given() {
		s, err := tf.supplied(ctx, ios, httpCognitoRegion(t.HTTPAPI), say)
		if err != nil {
			return nil, nil, failed("%v", err)
		}
		opts.Supplied = &s
	} else if local {
		key, err := keyFile(ios, tf.KeyFile, stateDir)
		if err != nil {
			return nil, nil, failed("%v", err)
		}
		iss, err := tokens.LoadOrCreateIssuer(key)
		if err != nil {
			return nil, nil, failed("%v", err)
		}
		opts.Issuer = iss
		say("tokens: minted per route by the built-in issuer (%s)", key)
	} else {
		fmt.Fprintln(ios.ErrOut, "probe: not a local stage, so no valid token is minted: refusals and preflights are proven, admission is not")
	}
	cases, ds, err := probe.HTTP(ctx, opts)
	if err != nil {
		return cases, ds, couldNotRun(err)
	}
	return cases, ds, nil
}

func runDriftHTTP(ctx context.Context, ios *IOStreams, o *driftOptions, t *workflow.Target, sess *workflow.Session) error {
	have, err := workflow.ReadHTTP(ctx, sess, t.HTTPAPI)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	ds := drift.CheckHTTP(t.HTTPAPI, have, o.Stage)
	if err := o.Output.Render(ios, t.Desc.Files, ds, drift.Rules()); err != nil {
		return failed("%v", err)
	}
	if drift.Found(ds) {
		return findings()
	}
	return nil
}

// runProbeHTTP is `portcullis probe` for an HTTP API: the stage from
// --base-url, else the one the live API serves.
func runProbeHTTP(ctx context.Context, ios *IOStreams, o *probeOptions, t *workflow.Target, params map[string]string) error {
	opts := probe.HTTPOptions{Unsafe: o.Unsafe, Params: params, Origin: o.Origin,
		Concurrency: o.Concurrency, RPS: o.RPS, Timeout: o.Timeout, Retries: o.Retries}
	if o.Debug {
		opts.Debug = ios.ErrOut
	}
	if o.Retries == 0 {
		opts.Retries = -1 // the flag's 0 means none, the option's 0 the default
	}
	if !o.rpsSet && localTarget(o.BaseURL) {
		opts.RPS = 0 // nothing to protect on loopback
	}
	if o.Browser {
		origin := o.Origin
		if origin == "" {
			origin = probe.DefaultOrigin(t.HTTPAPI.CORS)
		}
		br, err := browser.Launch(ctx, browser.Options{Origin: origin})
		if err != nil {
			return failed("--browser: %v", err)
		}
		defer br.Close()
		opts.Browser = br
	}
	stage := o.Stage
	if stage == "" && len(t.HTTPAPI.Stages) > 0 {
		stage = t.HTTPAPI.Stages[0].Name
	}
	if o.BaseURL != "" {
		if o.AWS.Local || o.AWS.EndpointURL != "" {
			return failed("--base-url names the stage itself: drop --local / --endpoint-url")
		}
		base := strings.TrimRight(o.BaseURL, "/")
		if debug := o.debugf(ios); debug != nil {
			debug("probing %s stage %s at %s", t.HTTPAPI.Name, stage, base)
		}
		return probeHTTP(ctx, ios, o.Output.Format, &o.Tokens, o.AWS.StateDir, t, base, localTarget(o.BaseURL), opts, nil)
	}
	if stage == "" {
		return failed("say which stage to probe with --stage")
	}
	ep, err := o.AWS.Endpoint(ios)
	if err != nil {
		return err
	}
	sess, err := workflow.Connect(ctx, ep, t.Region())
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	defer sess.Close()
	have, err := workflow.ReadHTTP(ctx, sess, t.HTTPAPI)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	if have == nil {
		return couldNotRun(fmt.Errorf("no live HTTP API is named %q", t.HTTPAPI.Name))
	}
	base := workflow.HTTPStageURL(sess, have.APIID, have.Endpoint, stage)
	local := sess.Local || localTarget(base)
	if local && !o.rpsSet {
		opts.RPS = 0
	}
	if debug := o.debugf(ios); debug != nil {
		debug("probing %s stage %s at %s", t.HTTPAPI.Name, stage, base)
	}
	return probeHTTP(ctx, ios, o.Output.Format, &o.Tokens, o.AWS.StateDir, t, base, local, opts, sess)
}

// httpCognitoRegion is the region of the API's first Cognito issuer,
// where a sign-in goes; else the API's region.
func httpCognitoRegion(api *spec.HTTPAPI) string {
	for _, az := range api.Authorizers {
		if region, _, ok := spec.ParseCognitoIssuer(az.Issuer); ok {
			return region
		}
	}
	if api.Region != "" {
		return api.Region
	}
	return "us-east-1"
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// importHTTP imports an HTTP API: the one --api-id names, or the one
// --name names when no REST API has that name. done is false when the
// import is a REST API's.
func importHTTP(ctx context.Context, ios *IOStreams, o *importOptions, sess *workflow.Session, format string) (bool, error) {
	want := &spec.HTTPAPI{APIID: o.APIID, Name: o.Name}
	if o.APIID == "" {
		if o.Name == "" {
			return false, nil
		}
		if _, _, err := live.Find(ctx, sess.Client, live.Target{Name: o.Name}); err == nil || !errors.Is(err, live.ErrNotFound) {
			return false, nil
		}
	}
	id, err := live.FindHTTPAPI(ctx, sess.HTTP, want)
	if err != nil {
		return true, failed("%v (%s)", err, sess.Target())
	}
	if id == "" {
		return true, failed("no REST or HTTP API is named %q (%s)", o.Name, sess.Target())
	}
	st, err := live.ReadHTTPAPI(ctx, sess.HTTP, id, sess.Region)
	if err != nil {
		return true, failed("reading the live HTTP API %s: %v", id, err)
	}
	api, skipped := importer.DescribeHTTP(st, sess.Region)
	header := importer.HTTPHeader(id, skipped)
	var out []byte
	switch format {
	case "hcl":
		out = importer.HTTPHCL(api, header)
	case "openapi":
		out, err = importer.HTTPOpenAPI(api, "yaml", header)
	default:
		out, err = importer.HTTPOpenAPI(api, "json", header)
	}
	if err != nil {
		return true, failed("%v", err)
	}
	for _, s := range skipped {
		fmt.Fprintln(ios.ErrOut, "Skipped:", s)
	}
	if o.Out == "" || o.Out == "-" {
		_, err = ios.Out.Write(out)
		return true, err
	}
	if err := os.WriteFile(o.Out, out, 0o644); err != nil {
		return true, failed("writing %s: %v", o.Out, err)
	}
	fmt.Fprintf(ios.ErrOut, "Wrote %s (%d routes, %d authorizers). Next: portcullis plan %s\n", o.Out, len(api.Routes), len(api.Authorizers), o.Out)
	return true, nil
}
