package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// generate says, once for every target that cannot, that an existing HTTP
// API's CORS configuration is not in its output, at the cors block, and
// how to set it; the files are written all the same.
func TestGenerateExistingHTTPAPICORSWarning(t *testing.T) {
	_, errOut, code := runCLI(t, "generate", "../examples/existing-http-api", "--target", "all", "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	const summary = "Warning: [existing-api-cors] CORS of an existing HTTP API is not in the cdk, cloudformation, serverless, terraform outputs"
	if n := strings.Count(errOut, "[existing-api-cors]"); n != 1 || !strings.Contains(errOut, summary) {
		t.Errorf("want one warning %q, got:\n%s", summary, errOut)
	}
	for _, want := range []string{"existing-http-api/api.hcl line 20", "portcullis apply", "aws apigatewayv2 update-api --api-id h1t2p3a4p5 --cors-configuration"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("warning lacks %q:\n%s", want, errOut)
		}
	}
}

// check-generators passes on an existing HTTP API with CORS: the outputs
// that cannot set it say so, and their missing CORS is reported as
// expected, with the reason, rather than as a difference.
func TestCheckGeneratorsExistingHTTPAPICORS(t *testing.T) {
	out, errOut, code := runCLI(t, "check-generators", "../examples/existing-http-api", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var doc struct {
		OK      bool `json:"ok"`
		Reports []struct {
			Outputs []struct {
				Name string `json:"name"`
				APIs []struct {
					Differences []string `json:"differences"`
					Expected    []string `json:"expected"`
				} `json:"apis"`
			} `json:"outputs"`
		} `json:"reports"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.OK {
		t.Errorf("check-generators: not ok\n%s", out)
	}
	cannot := map[string]bool{"cloudformation": true, "cloudformation (json)": true, "terraform": true, "serverless (as written)": true}
	seen := 0
	for _, o := range doc.Reports[0].Outputs {
		for _, a := range o.APIs {
			got := strings.Join(a.Expected, "\n")
			switch {
			case cannot[o.Name]:
				seen++
				if len(a.Expected) != 1 || !strings.HasPrefix(got, "CORS none, want origins=[https://partners.example.com]") || !strings.Contains(got, "not in the "+strings.Fields(o.Name)[0]+" output") {
					t.Errorf("%s: expected %q", o.Name, got)
				}
			case len(a.Expected) > 0:
				t.Errorf("%s sets CORS, yet expects %q", o.Name, got)
			}
		}
	}
	if seen != len(cannot) {
		t.Errorf("%d outputs checked that cannot set CORS, want %d", seen, len(cannot))
	}
}
