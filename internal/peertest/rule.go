package peertest

import (
	"fmt"
	"os"
	"testing"
)

// Long skips t under -short. Every test that runs an external peer tool,
// or takes more than a few seconds, calls it first (the peer helpers here
// call it too), so `go test -short ./...` is quick and needs no tool
// installed. Without -short the test runs, and Missing fails it under CI
// when its tool is absent.
func Long(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs an external peer tool or takes seconds: skipped under -short")
	}
}

// Missing applies the suite's rule to a peer tool that is not installed:
// the test fails under CI (CI set) and skips elsewhere. install says how to
// get it.
func Missing(t testing.TB, install string, err error) {
	t.Helper()
	msg := fmt.Sprintf("peer missing (%s): %v", install, err)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Chromium returns the browser the browser tests drive: $PORTCULLIS_CHROMIUM,
// else Debian's /usr/bin/chromium (scripts/test installs it).
func Chromium(t testing.TB) string {
	t.Helper()
	Long(t)
	p := os.Getenv("PORTCULLIS_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		Missing(t, "apt-get install chromium chromium-driver", err)
	}
	return p
}
