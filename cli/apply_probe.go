package cli

import (
	"context"

	"github.com/portcullis-dev/portcullis/spec"
)

// probeAfterApply is the hook `apply --probe` calls once the stage is
// deployed: it probes restAPIID's stage through sess (the same --local /
// --endpoint-url / AWS target apply used) and returns findings() when a
// route does not answer as described. The probe command's owner wires it
// to package probe (probe.Run); until then --probe says so.
func probeAfterApply(ctx context.Context, ios *IOStreams, sess *AWSSession, api *spec.API, restAPIID, stage string) error {
	return failed("--probe is not wired to the probe yet: run `portcullis probe` after apply")
}
