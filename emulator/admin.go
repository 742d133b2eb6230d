package emulator

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// Call is one control-plane request as the emulator saw it.
type Call struct {
	Operation string `json:"operation"`
	// Region is the SigV4 signing region the call was for.
	Region string `json:"region"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	// Write is true for calls that may change state (every verb but GET).
	Write bool      `json:"write"`
	Time  time.Time `json:"time"`
}

// maxCalls bounds the call log of a long-running server; tests read far
// fewer.
const maxCalls = 100000

type callLog struct {
	mu    sync.Mutex
	calls []Call
}

func newCallLog() *callLog { return &callLog{} }

func (l *callLog) add(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.calls) >= maxCalls {
		l.calls = append(l.calls[:0], l.calls[len(l.calls)/2:]...)
	}
	l.calls = append(l.calls, c)
}

// Calls returns the control-plane calls made so far, oldest first.
func (e *Emulator) Calls() []Call {
	e.calls.mu.Lock()
	defer e.calls.mu.Unlock()
	return cloneSlice(e.calls.calls)
}

// CountCalls counts calls to operation that got a 2xx answer.
func (e *Emulator) CountCalls(operation string) int {
	e.calls.mu.Lock()
	defer e.calls.mu.Unlock()
	n := 0
	for _, c := range e.calls.calls {
		if c.Operation == operation && c.Status >= 200 && c.Status < 300 {
			n++
		}
	}
	return n
}

// CountWrites counts the calls that changed state (2xx answers to
// anything but GET).
func (e *Emulator) CountWrites() int {
	e.calls.mu.Lock()
	defer e.calls.mu.Unlock()
	n := 0
	for _, c := range e.calls.calls {
		if c.Write && c.Status >= 200 && c.Status < 300 {
			n++
		}
	}
	return n
}

// ResetCalls empties the call log.
func (e *Emulator) ResetCalls() {
	e.calls.mu.Lock()
	defer e.calls.mu.Unlock()
	e.calls.calls = nil
}

// SetFaults replaces the active faults and restarts their counters.
func (e *Emulator) SetFaults(f Faults) { e.faults.set(f) }

// Faults returns the active faults.
func (e *Emulator) Faults() Faults { return e.faults.get() }

// Reset deletes every API (and persists the empty state).
func (e *Emulator) Reset() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reloadLocked()
	e.apis = map[string]*apiState{}
	e.httpAPIs = map[string]*httpAPIState{}
	e.flushGen = map[string]uint64{}
	return e.persistLocked()
}

// serveAdmin answers /_portcullis/...:
//
//	GET  /_portcullis/health                      {"ok":true}
//	GET  /_portcullis/faults                      the active Faults
//	PUT  /_portcullis/faults  (or POST) Faults     replace them
//	DELETE /_portcullis/faults                    clear them
//	GET  /_portcullis/calls[?operation=X]         {"calls":[Call...]}
//	DELETE /_portcullis/calls                     clear the log
//	DELETE /_portcullis/state                     delete every API
func (e *Emulator) serveAdmin(w http.ResponseWriter, r *http.Request) {
	write := func(status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	bad := func(status int, msg string) { write(status, map[string]string{"message": msg}) }
	switch r.URL.Path {
	case "/_portcullis/health":
		write(200, map[string]bool{"ok": true})
	case "/_portcullis/faults":
		switch r.Method {
		case http.MethodGet:
			write(200, e.Faults())
		case http.MethodPut, http.MethodPost:
			var f Faults
			dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&f); err != nil {
				bad(400, "invalid faults: "+err.Error())
				return
			}
			if f.Throttle < 0 {
				bad(400, "invalid faults: throttle must be >= 0")
				return
			}
			e.SetFaults(f)
			write(200, e.Faults())
		case http.MethodDelete:
			e.SetFaults(Faults{})
			w.WriteHeader(204)
		default:
			bad(405, "method not allowed")
		}
	case "/_portcullis/calls":
		switch r.Method {
		case http.MethodGet:
			calls := e.Calls()
			if op := r.URL.Query().Get("operation"); op != "" {
				kept := calls[:0]
				for _, c := range calls {
					if c.Operation == op {
						kept = append(kept, c)
					}
				}
				calls = kept
			}
			if calls == nil {
				calls = []Call{}
			}
			write(200, map[string][]Call{"calls": calls})
		case http.MethodDelete:
			e.ResetCalls()
			w.WriteHeader(204)
		default:
			bad(405, "method not allowed")
		}
	case "/_portcullis/state":
		if r.Method != http.MethodDelete {
			bad(405, "method not allowed")
			return
		}
		if err := e.Reset(); err != nil {
			bad(500, err.Error())
			return
		}
		w.WriteHeader(204)
	default:
		bad(404, "unknown admin path "+r.URL.Path)
	}
}
