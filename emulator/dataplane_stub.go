package emulator

import "net/http"

// This stub stands in for the data plane until emulator/dataplane.go exists;
// the data-plane engineer deletes it (see the contract in state.go).

// DataPlaneOptions configures the data plane.
type DataPlaneOptions struct{}

func newDataPlane(e *Emulator) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "data plane not built yet", http.StatusNotImplemented)
	})
}
