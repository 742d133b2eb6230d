package peertest

import (
	"bytes"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Process is a peer server a test started: its output is kept for failure
// messages, and it is stopped when the test ends (SIGTERM, then a kill
// after 5 s), so no peer outlives its test.
type Process struct {
	done chan struct{}
	mu   sync.Mutex
	logs bytes.Buffer
}

// Write keeps the peer's output; the process's stdout and stderr copiers
// and a failing test may touch it at once.
func (p *Process) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.Write(b)
}

// Logs is what the peer has printed so far.
func (p *Process) Logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// Start runs cmd and waits until ready reports true (polled every 100 ms),
// failing the test with the peer's output when it exits first or is not
// ready within the given time. The output is also logged when the test
// fails later.
func Start(t testing.TB, name string, cmd *exec.Cmd, within time.Duration, ready func() bool) *Process {
	t.Helper()
	p := &Process{done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p, p
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("%s:\n%s", name, p.Logs())
		}
	})
	for deadline := time.Now().Add(within); !ready(); {
		select {
		case <-p.done:
			t.Fatalf("%s exited:\n%s", name, p.Logs())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not start within %s:\n%s", name, within, p.Logs())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return p
}
