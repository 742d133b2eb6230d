package probe

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// InvokeURL is the stage's URL on AWS [DG:how-to-call-api].
func InvokeURL(apiID, region, stage string) string {
	return "https://" + apiID + ".execute-api." + region + ".amazonaws.com/" + stage
}

// LocalInvokeURL is the stage's URL on the local gateway (or LocalStack)
// at endpoint: the path-style form both serve.
func LocalInvokeURL(endpoint, apiID, stage string) string {
	return strings.TrimRight(endpoint, "/") + "/restapis/" + apiID + "/" + stage + "/_user_request_"
}

// ErrNoPathStyle is returned (wrapped) by CheckPathStyle.
var ErrNoPathStyle = errors.New("not known to serve stages at /restapis/ID/STAGE/_user_request_")

// CheckPathStyle asks whether the gateway at endpoint serves stages in
// the path-style form LocalInvokeURL builds. That form is a convention of
// `portcullis local serve` and LocalStack, not of API Gateway: another
// endpoint (moto, which has no data plane at all) answers something else
// there, and a probe of it would judge answers that are not the stage's.
// Each of the two answers a health check of its own; anything else needs
// the stage's URL given explicitly (--base-url).
func CheckPathStyle(ctx context.Context, client *http.Client, endpoint string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	base := strings.TrimRight(endpoint, "/")
	for _, health := range []string{"/_portcullis/health", "/_localstack/health"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+health, nil)
		if err != nil {
			return err
		}
		// The local gateway answers its admin endpoint only with this
		// header (emulator.AdminHeader; a browser cannot send it unasked).
		req.Header.Set("X-Portcullis-Admin", "1")
		resp, err := client.Do(req)
		if err != nil {
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
	}
	return fmt.Errorf("%s is %w (only `portcullis local serve` and LocalStack are; moto serves no stages): pass the stage's invoke URL with --base-url", base, ErrNoPathStyle)
}
