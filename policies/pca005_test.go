package policies

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-dev/portcullis/spec/load"
)

// On an HTTP API without CORS configuration, PCA005 lands on the route the
// preflights reach (OPTIONS, else ANY, else $default), exactly on its key,
// and not at all once CORS is configured.
func TestHTTPAuthErrorsWithoutCORSRanges(t *testing.T) {
	for path, want := range map[string]string{
		"examples/PCA005/bad_http.hcl":          "OPTIONS /orders 12:9-12:26",
		"examples/PCA005/bad_http.yaml":         "OPTIONS /orders 20:5-20:12",
		"examples/PCA005/bad_http_any.hcl":      "ANY /orders 13:9-13:22",
		"examples/PCA005/bad_http_any.yaml":     "ANY /orders 21:5-21:35",
		"examples/PCA005/bad_http_default.hcl":  "$default 13:9-13:19",
		"examples/PCA005/bad_http_default.yaml": "$default 21:5-21:35",
		"examples/PCA005/good_http.hcl":         "",
		"examples/PCA005/good_http.yaml":        "",
	} {
		t.Run(path, func(t *testing.T) {
			d, diags := load.Load(path, load.Options{SkipValidation: true})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			got := ""
			for _, x := range Run(d, Config{}) {
				if x.Code != ruleAuthErrorsWithoutCORS.ID {
					continue
				}
				r := x.Range
				got = fmt.Sprintf("%s %d:%d-%d:%d", x.Route, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
