package cli

import (
	"context"
	"os"

	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/spec"
)

// probeAfterApply is the hook `apply --probe` calls once the stage is
// deployed: it probes restAPIID's stage through sess (the same --local /
// --endpoint-url / AWS target apply used), prints the table and the
// findings, and returns findings() when a route does not answer as
// described. Against a loopback gateway the built-in issuer mints the valid
// tokens; with --local every method also gets the whole matrix (no Lambda
// runs in the embedded gateway, HTTP integrations reach only loopback, and
// unsafe methods still get placeholder path parameters), so it runs with no
// set-up. Elsewhere apply has no tokens, and the probe proves refusals and
// says admission is unproven.
func probeAfterApply(ctx context.Context, ios *IOStreams, sess *AWSSession, tf *ProbeTokenFlags, api *spec.API, restAPIID, stage string) error {
	base, err := stageURL(ctx, sess, api, restAPIID, stage)
	if err != nil {
		return err
	}
	opts := probe.Options{API: api, BaseURL: base, RPS: 20}
	local := sess.Local || localTarget(base)
	if local && !tf.given() {
		opts.RPS = 0
	}
	// The same token sources as `portcullis probe`, so a CI apply on AWS
	// can prove admission too; none given on a local target mints them.
	src, err := tf.Source(ctx, ios, api, local, nil)
	if err != nil {
		return failed("%v", err)
	}
	opts.Tokens = src
	opts.Unsafe = sess.Local
	return probeStage(ctx, ios, &OutputFlags{Format: "text"}, sourceFiles(api), opts)
}

// sourceFiles reads the description's files back for the findings'
// snippets (apply hands over the model, not the bytes).
func sourceFiles(api *spec.API) map[string][]byte {
	files := map[string][]byte{}
	for _, r := range api.Routes {
		name := r.Range.Filename
		if _, done := files[name]; done || name == "" {
			continue
		}
		if b, err := os.ReadFile(name); err == nil {
			files[name] = b
		}
	}
	return files
}
