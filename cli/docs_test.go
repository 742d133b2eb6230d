package cli

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/workflow"
)

// docBlock is one fenced block of a Markdown file.
type docBlock struct {
	lang, body string
	line       int
	// skip is the reason given by a `<!-- docs-test: skip REASON -->`
	// line right before the fence.
	skip string
}

var (
	skipMarker = regexp.MustCompile(`^<!-- docs-test: skip (.*\S) -->$`)
	fileMarker = regexp.MustCompile(`^(?:#|//) ([\w.-]+\.[a-z]+)$`)
)

func docBlocks(t *testing.T, path string) []docBlock {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []docBlock
	var cur *docBlock
	prev := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "```"):
			cur = &docBlock{lang: strings.TrimPrefix(line, "```"), line: n}
			if m := skipMarker.FindStringSubmatch(prev); m != nil {
				cur.skip = m[1]
			}
		case cur != nil && strings.HasPrefix(line, "```"):
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			cur.body += line + "\n"
		}
		if strings.TrimSpace(line) != "" {
			prev = strings.TrimSpace(line)
		}
	}
	return out
}

// commandBlock reports whether a block is meant to be typed into a shell.
func (b docBlock) commandBlock() bool {
	switch b.lang {
	case "sh", "bash", "console", "shell":
		return true
	case "":
		for _, l := range strings.Split(b.body, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "portcullis ") {
				return true
			}
		}
	}
	return false
}

// TestDocsRun runs every command block of README.md and docs/*.md, in
// order, one shell per document, against the local gateway (the blocks
// use `portcullis local serve` or --local), so a quickstart or a
// walkthrough cannot rot. A block that needs AWS or the network says so
// with `<!-- docs-test: skip REASON -->` right before its fence; a block
// whose first line is `# NAME.ext` is written as that file for the
// document's commands. The gateway's documented port 4567 is replaced by a
// free one, so runs do not collide.
func TestDocsRun(t *testing.T) {
	peertest.Long(t)
	awsCLI := "/usr/bin/aws"
	if _, err := os.Stat(awsCLI); err != nil {
		peertest.Missing(t, "apt-get install awscli", err)
	}
	docs, _ := filepath.Glob("../docs/*.md")
	docs = append([]string{"../README.md"}, docs...)
	dir := t.TempDir()
	bin := t.TempDir()
	if err := os.Symlink(awsCLI, filepath.Join(bin, "aws")); err != nil {
		t.Fatal(err)
	}
	ran := 0
	for _, doc := range docs {
		var ar txtar.Archive
		var script strings.Builder
		script.WriteString("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n")
		n := 0
		for _, b := range docBlocks(t, doc) {
			first, _, _ := strings.Cut(b.body, "\n")
			if m := fileMarker.FindStringSubmatch(first); m != nil && !b.commandBlock() {
				ar.Files = append(ar.Files, txtar.File{Name: m[1], Data: []byte(b.body)})
				continue
			}
			if !b.commandBlock() {
				continue
			}
			if b.skip != "" {
				t.Logf("%s:%d: not run by design: %s", doc, b.line, b.skip)
				continue
			}
			fmt.Fprintf(&script, "echo '--- %s:%d'\n%s", filepath.Base(doc), b.line, b.body)
			n++
		}
		if n == 0 {
			continue
		}
		ran += n
		port := freePort(t)
		body := strings.NewReplacer("127.0.0.1:4567", "127.0.0.1:"+port, "localhost:4567", "localhost:"+port).Replace(script.String())
		ar.Comment = []byte("exec timeout 300 bash run.sh\n")
		ar.Files = append(ar.Files, txtar.File{Name: "run.sh", Data: []byte(body)})
		name := strings.TrimSuffix(filepath.Base(doc), ".md") + ".txtar"
		if err := os.WriteFile(filepath.Join(dir, name), txtar.Format(&ar), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ran == 0 {
		t.Fatal("no command block found to run")
	}
	testscript.Run(t, testscript.Params{
		Dir: dir,
		Setup: func(env *testscript.Env) error {
			// The documents name the repository's examples by their
			// paths from the root, as a reader at the root types them.
			examples, err := filepath.Abs("../examples")
			if err != nil {
				return err
			}
			if err := os.Symlink(examples, filepath.Join(env.WorkDir, "examples")); err != nil {
				return err
			}
			env.Setenv("NO_COLOR", "1")
			env.Setenv(workflow.EnvStateDir, filepath.Join(env.WorkDir, ".state"))
			env.Setenv("PATH", bin+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("AWS_CONFIG_FILE", "/dev/null")
			env.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
			env.Setenv("AWS_EC2_METADATA_DISABLED", "true")
			return nil
		},
	})
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// Every command block either runs or says why it cannot.
func TestDocsBlocksRunOrSayWhy(t *testing.T) {
	docs, _ := filepath.Glob("../docs/*.md")
	for _, doc := range append([]string{"../README.md"}, docs...) {
		for _, b := range docBlocks(t, doc) {
			if b.commandBlock() && b.skip == "" && strings.Contains(b.body, "amazonaws.com") {
				t.Errorf("%s:%d: a block that reaches AWS must say <!-- docs-test: skip REASON -->", doc, b.line)
			}
		}
	}
}
