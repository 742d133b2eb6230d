package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// The first SIGINT/SIGTERM cancels the run's context (apply finishes the
// call in flight, then stops: apply's TestCancelFinishesCallInFlight); the
// second exits at once with 130.
func TestSignalsCancelOnceThenExit(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	var errOut bytes.Buffer
	var code atomic.Int32
	code.Store(-1)
	exited := make(chan struct{})
	ctx, stop := withSignals(context.Background(), sigs, &errOut, func(c int) { code.Store(int32(c)); close(exited) })
	defer stop()

	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	if code.Load() != -1 {
		t.Fatalf("the first signal exited (%d)", code.Load())
	}
	sigs <- os.Interrupt
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the second signal did not exit")
	}
	if code.Load() != ExitInterrupted {
		t.Errorf("exit code %d, want %d", code.Load(), ExitInterrupted)
	}
	if !strings.Contains(errOut.String(), "stopping after the call in flight") {
		t.Errorf("no notice on stderr: %q", errOut.String())
	}
}

// A run that ends before any signal leaves nothing behind that could exit
// the process later.
func TestSignalsStopQuietly(t *testing.T) {
	sigs := make(chan os.Signal, 2)
	ctx, stop := withSignals(context.Background(), sigs, &bytes.Buffer{}, func(int) { t.Error("exit after stop") })
	stop()
	if ctx.Err() == nil {
		t.Error("stop did not release the context")
	}
	sigs <- os.Interrupt
	sigs <- os.Interrupt
	time.Sleep(50 * time.Millisecond)
}

// A real SIGTERM to a running apply, through Main: the in-flight call
// finishes, nothing is deployed, exit 2 with the interruption named.
func TestMainContextCancelledApplyStops(t *testing.T) {
	t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errOut bytes.Buffer
	ios := &IOStreams{Out: &out, ErrOut: &errOut, Getenv: os.Getenv, Environ: func() []string { return nil }}
	code := MainContext(ctx, []string{"apply", "../examples/todo/todo.hcl", "--local", "--auto-approve"}, ios)
	if code != ExitError {
		t.Fatalf("exit %d, want 2\n%s\n%s", code, out.String(), errOut.String())
	}
	if strings.Contains(out.String(), "Apply complete") {
		t.Errorf("a cancelled apply completed:\n%s", out.String())
	}
}
