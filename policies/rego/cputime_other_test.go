//go:build !unix

package rego

import "time"

// CPUTime is unknown here; benchmarks then report 0.
func CPUTime() time.Duration { return 0 }
