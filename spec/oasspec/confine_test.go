//go:build unix

package oasspec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// refDoc is a document in dir whose one response is $ref'd from target.
func refDoc(t *testing.T, dir, target string) string {
	t.Helper()
	doc := `openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /a:
    get:
      responses:
        "200":
          $ref: "` + target + `#/ok"
`
	p := filepath.Join(dir, "api.yaml")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

const okResponse = "ok: {description: SECRET-OUTSIDE}\n"

// TestExternalRefsStayConfined: with --allow-external-refs, a reference
// through a symlink (to a file or a folder) out of the document's folder,
// to a device or a FIFO, to a file over the size limit, or a graph over
// the total budget, is refused with a diagnostic, fast, and nothing of an
// outside file shows.
func TestExternalRefsStayConfined(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte(okResponse), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	mustDo(os.WriteFile(filepath.Join(dir, "inside.yaml"), []byte("ok: {description: fine}\n"), 0o644))
	mustDo(os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "link.yaml")))
	mustDo(os.Symlink(outside, filepath.Join(dir, "linkdir")))
	mustDo(os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")))
	mustDo(syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o600))
	big := make([]byte, 0, 4096)
	big = append(big, "ok: {description: big}\n#"...)
	f, err := os.Create(filepath.Join(dir, "big.yaml"))
	mustDo(err)
	mustDo(f.Truncate(2 << 20))
	_, err = f.WriteAt(big, 0)
	mustDo(err)
	f.Close()

	for _, c := range []struct {
		target, reason string
		opts           Options
	}{
		{"inside.yaml", "", Options{}},
		{"link.yaml", "outside", Options{}},
		{"linkdir/secret.yaml", "outside", Options{}},
		{"../" + filepath.Base(outside) + "/secret.yaml", "outside", Options{}},
		{"zero.yaml", "outside", Options{}}, // /dev/zero resolves out of the folder
		{"fifo.yaml", "not a regular file", Options{}},
		{"big.yaml", "limit", Options{MaxFileBytes: 1 << 20}},
		{"big.yaml", "together are limited", Options{MaxFileBytes: 4 << 20, MaxRefBytes: 1 << 20}},
	} {
		c.opts.AllowExternalRefs = true
		p := refDoc(t, dir, c.target)
		src, _ := os.ReadFile(p)
		start := time.Now()
		_, diags := Read(p, src, c.opts)
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s: took %v", c.target, el)
		}
		out := fmt.Sprint(diags)
		if c.reason == "" {
			if diags.HasErrors() {
				t.Errorf("%s: %v", c.target, diags)
			}
			continue
		}
		if !diags.HasErrors() || !strings.Contains(out, c.reason) || diags[0].Code != "external-ref" {
			t.Errorf("%s: want a refusal mentioning %q, got %v", c.target, c.reason, diags)
		}
		if strings.Contains(out, "SECRET-OUTSIDE") {
			t.Errorf("%s: outside content shows: %s", c.target, out)
		}
	}

	// A device named directly (no symlink) inside the folder is refused
	// too: the only one at hand is a FIFO, checked above; /dev itself as
	// the folder shows the device rule.
	p := refDoc(t, dir, "/dev/zero")
	src, _ := os.ReadFile(p)
	if _, diags := Read(p, src, Options{AllowExternalRefs: true}); !diags.HasErrors() {
		t.Error("an absolute /dev/zero reference was read")
	}
}
