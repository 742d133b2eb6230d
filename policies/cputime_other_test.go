//go:build !unix

package policies

import "time"

// CPUTime is unknown here; benchmarks then report 0.
func CPUTime() time.Duration { return 0 }
