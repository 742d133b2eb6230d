package emulator

import (
	"fmt"
	"path/filepath"
	"sync"

	"github.com/portcullis-dev/portcullis/tokens"
)

// LocalStateFile is where `--local` keeps the embedded gateway's state,
// relative to the working directory.
const LocalStateFile = ".portcullis/state.json"

// local tracks the embedded gateways this process runs, one per working
// directory, so that several commands in one process share one.
var local struct {
	mu sync.Mutex
	by map[string]*localInstance
}

type localInstance struct {
	e     *Emulator
	url   string
	refs  int
	close func() // releases what StartLocalWith built (the verifier's key refresh)
}

// StartLocal serves the embedded gateway for dir on 127.0.0.1 (a free
// port), with its state in dir/.portcullis/state.json and the built-in
// issuer's key in dir/.portcullis/issuer-key.pem, and returns its endpoint
// URL. Separate processes (apply --local, then drift --local, then probe
// --local) see the same APIs through the state file; within one process a
// second call for the same dir reuses the running server. stop releases
// it; the last stop shuts it down.
//
// A server reloads the file when another process replaced it, changes
// only the newest version, and never writes over a newer file: a change
// that raced another process's write is refused (409) and nothing else is
// written, not even at shutdown.
func StartLocal(dir string) (endpointURL string, stop func() error, err error) {
	return StartLocalWith(dir, Options{})
}

// StartLocalWith is StartLocal with options. When opts.DataPlane has no
// Verifier, one is built as `local serve` builds it by default: the
// built-in issuer for every pool not mapped elsewhere (PORTCULLIS_ISSUERS
// is not read here; pass a Verifier to honour it), real Cognito's keys for
// real pools.
func StartLocalWith(dir string, opts Options) (endpointURL string, stop func() error, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", nil, err
	}
	return StartLocalIn(filepath.Join(abs, filepath.Dir(LocalStateFile)), opts)
}

// StartLocalIn is StartLocalWith for a state directory itself: the state in
// stateDir/state.json, the built-in issuer's key in stateDir/issuer-key.pem
// (the CLI finds stateDir by a rule that does not depend on the working
// directory; see workflow.StateDir).
func StartLocalIn(stateDir string, opts Options) (endpointURL string, stop func() error, err error) {
	abs, err := filepath.Abs(stateDir)
	if err != nil {
		return "", nil, err
	}
	local.mu.Lock()
	defer local.mu.Unlock()
	if local.by == nil {
		local.by = map[string]*localInstance{}
	}
	inst := local.by[abs]
	if inst == nil {
		release := func() {}
		if opts.DataPlane.Verifier == nil {
			v, _, err := tokens.Setup{KeyFile: filepath.Join(abs, filepath.Base(tokens.DefaultKeyFile)), Remote: true}.Verifier()
			if err != nil {
				return "", nil, fmt.Errorf("local gateway: %w", err)
			}
			opts.DataPlane.Verifier = v
			release = v.Resolver.Close
		}
		e, err := Open(filepath.Join(abs, filepath.Base(LocalStateFile)), opts)
		if err != nil {
			release()
			return "", nil, fmt.Errorf("local gateway: %w", err)
		}
		url, err := e.Start("127.0.0.1:0")
		if err != nil {
			release()
			return "", nil, fmt.Errorf("local gateway: %w", err)
		}
		inst = &localInstance{e: e, url: url, close: release}
		local.by[abs] = inst
	}
	inst.refs++
	var once sync.Once
	stop = func() error {
		var err error
		once.Do(func() {
			local.mu.Lock()
			defer local.mu.Unlock()
			inst.refs--
			if inst.refs == 0 {
				delete(local.by, abs)
				err = inst.e.Close()
				inst.close()
			}
		})
		return err
	}
	return inst.url, stop, nil
}
