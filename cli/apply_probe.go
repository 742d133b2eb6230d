package cli

import (
	"context"

	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

// probeAfterApply is the hook `apply --probe` calls once the stage is
// deployed: it probes restAPIID's stage through sess (the same --local /
// --endpoint-url / AWS target apply used), prints the table and the
// findings (text) or returns the probe's document (JSON), and returns
// findings() when a route does not answer as described. Against a loopback
// gateway the built-in issuer mints the valid tokens; with --local every
// method also gets the whole matrix (no Lambda runs in the embedded
// gateway, HTTP integrations reach only loopback, and unsafe methods still
// get placeholder path parameters), so it runs with no set-up. Elsewhere
// apply has no tokens, and the probe proves refusals and says admission is
// unproven.
func probeAfterApply(ctx context.Context, ios *IOStreams, sess *workflow.Session, tf *ProbeTokenFlags, stateDir string, t *workflow.Target, restAPIID, stage string, text bool) (*views.ProbeDocument, error) {
	base, err := workflow.StageURL(ctx, sess, t.API, restAPIID, stage)
	if err != nil {
		return nil, couldNotRun(err)
	}
	opts := probe.Options{API: t.API, BaseURL: base, RPS: 20}
	local := sess.Local || localTarget(base)
	if local && !tf.given() {
		opts.RPS = 0
	}
	// The same token sources as `portcullis probe`, so a CI apply on AWS
	// can prove admission too; none given on a local target mints them.
	src, err := tf.Source(ctx, ios, t.API, local, stateDir, nil)
	if err != nil {
		return nil, failed("%v", err)
	}
	opts.Tokens = src
	opts.Unsafe = sess.Local
	if text {
		return nil, probeStage(ctx, ios, &OutputFlags{Format: "text"}, t.Desc.Files, opts, sess)
	}
	ds, res, err := runProbeMatrix(ctx, ios, opts, sess)
	if err != nil {
		return nil, failed("%v", err)
	}
	doc := views.NewProbeDocument(ds, res)
	if ds.HasErrors() {
		return doc, findings()
	}
	return doc, nil
}
