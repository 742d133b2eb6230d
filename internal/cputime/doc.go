// Package cputime reads the process's user+system CPU time, so benchmarks
// can report the work done apart from the wall-clock noise of a shared
// machine. Test-only: nothing in the shipped binary imports it.
package cputime
