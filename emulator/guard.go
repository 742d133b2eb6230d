package emulator

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/portcullis-dev/portcullis/internal/escape"
	"github.com/portcullis-dev/portcullis/internal/loopback"
)

// The local gateway listens on a well-known loopback port, so any web page
// the developer opens can send it requests. Three rules keep such a page
// out while the AWS CLI, the SDKs, terraform and Portcullis itself work
// unchanged (docs/security.md):
//
//   - Host must name this machine (loopback.Host): a DNS-rebinding page
//     reaches 127.0.0.1 under its own name, and that name is refused.
//   - The control plane needs an Authorization header shaped like SigV4,
//     which every AWS client sends and which a browser cannot send to
//     another origin without a CORS preflight.
//   - /_portcullis/ needs X-Portcullis-Admin: 1, for the same reason.
//
// Preflights (OPTIONS) to either are refused, so the browser never sends
// the real request. The data plane keeps its own CORS behaviour: that is
// what it emulates.

// AdminHeader is the header every /_portcullis/ request must carry, with
// the value "1".
const AdminHeader = "X-Portcullis-Admin"

// guard answers and returns false when r must not reach the handlers.
func guard(w http.ResponseWriter, r *http.Request, admin, dataPlane bool) bool {
	if !loopback.Host(r.Host) {
		refuse(w, "Host "+escape.Control(r.Host)+" is not this machine: the local gateway answers only to loopback names (127.0.0.1, localhost, *.localhost)")
		return false
	}
	switch {
	case dataPlane:
		return true
	case r.Method == http.MethodOptions:
		refuse(w, "the local gateway's control plane and admin endpoint refuse cross-origin preflights")
		return false
	case admin:
		if r.Header.Get(AdminHeader) != "1" {
			refuse(w, "admin requests need the header "+AdminHeader+": 1")
			return false
		}
	case !sigV4Shaped(r.Header.Get("Authorization")):
		// AWS's own answer to an unsigned control-plane call.
		writeError(w, errf(403, "MissingAuthenticationTokenException", "Missing Authentication Token"))
		return false
	}
	return true
}

// sigV4Shaped reports whether h looks like an AWS Signature Version 4
// Authorization header. The signature is not checked: any credentials
// work, as the banner says; the shape is what a browser cannot forge.
func sigV4Shaped(h string) bool {
	return strings.HasPrefix(h, "AWS4-") && strings.Contains(h, "Credential=") && strings.Contains(h, "Signature=")
}

func refuse(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusForbidden)
	body, _ := json.Marshal(map[string]string{"message": msg})
	_, _ = w.Write(body)
}
