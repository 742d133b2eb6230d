package cli

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/internal/peertest"
)

// TestProbeBrowserOnTheLocalGateway is probe --browser end to end on both
// kinds of API, applied to the embedded gateway: the browser's answers are
// columns of the REST matrix (and the JSON's browser objects) and rows of
// the HTTP API matrix.
func TestProbeBrowserOnTheLocalGateway(t *testing.T) {
	peertest.Chromium(t)
	t.Setenv("PORTCULLIS_STATE_DIR", t.TempDir())
	todo, httpAPI := filepath.Join("..", "examples", "todo"), filepath.Join("..", "examples", "http-api")
	for _, ex := range []string{todo, httpAPI} {
		if _, errOut, code := runCLI(t, "apply", ex, "--local", "--auto-approve"); code != 0 {
			t.Fatalf("apply %s: exit %d\n%s", ex, code, errOut)
		}
	}

	out, errOut, code := runCLI(t, "probe", todo, "--local", "--browser")
	if code != 0 {
		t.Fatalf("probe --browser: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, re := range []string{
		`ROUTE .* CORS-401 +BROWSER-PREFLIGHT +BROWSER-HEADER +BROWSER-401 +VERDICT`,
		`GET /items +401 .* yes +ok +yes +401 +protected`,
		`DELETE /items/\{id\} +401 .* ok +yes +401 +protected`,
		`GET /health +200 .* - +- +cors! +public`, // a MOCK without CORS headers
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("the matrix lacks %s:\n%s", re, out)
		}
	}
	out, _, code = runCLI(t, "probe", todo, "--local", "--browser", "--format", "json")
	if code != 0 || !strings.Contains(out, `"browser": {`) || !strings.Contains(out, `"readable_401": {`) || !strings.Contains(out, `"PC-P020"`) {
		t.Errorf("JSON (exit %d) lacks the browser answers:\n%s", code, out)
	}

	out, errOut, code = runCLI(t, "probe", httpAPI, "--local", "--browser")
	if code != 0 {
		t.Fatalf("probe --browser (HTTP API): exit %d\n%s\n%s", code, out, errOut)
	}
	for _, c := range []string{"browser-preflight", "browser-header", "browser-401"} {
		if !regexp.MustCompile(`GET /items +` + c + ` +GET +401 +ok`).MatchString(out) {
			t.Errorf("the HTTP API matrix lacks %s for GET /items:\n%s", c, out)
		}
	}
}
