//go:build unix

package policies

import (
	"syscall"
	"time"
)

// CPUTime is the process's user+system CPU time, so benchmarks can report
// work done apart from the wall-clock noise of a shared machine.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
