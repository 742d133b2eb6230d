package peertest

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Root is the repository root, found from this file's location so tests
// in any package find peers/.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Require returns the absolute path of a file inside peers/ (e.g.
// "cognito-local/node_modules/cognito-local/lib/bin/start.js"), or fails
// (CI) or skips the test when it is not installed.
func Require(t testing.TB, rel string) string {
	t.Helper()
	Long(t)
	p := filepath.Join(Root(), "peers", rel)
	if _, err := os.Stat(p); err != nil {
		dir, _, _ := strings.Cut(rel, "/")
		Missing(t, "npm ci in peers/"+dir, err)
	}
	return p
}

// CognitoLocal runs the pinned cognito-local peer on a free loopback port,
// with a pool seeded under a real-looking id and ARN (pools created through
// its API get local ARNs), and returns its base URL. It stops with the test.
func CognitoLocal(t testing.TB, poolID, poolARN string) string {
	t.Helper()
	start := Require(t, "cognito-local/node_modules/cognito-local/lib/bin/start.js")
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	dir := t.TempDir() // cognito-local keeps plaintext passwords here
	db := filepath.Join(dir, ".cognito", "db")
	if err := os.MkdirAll(db, 0o700); err != nil {
		t.Fatal(err)
	}
	seed := fmt.Sprintf(`{"Users":{},"Options":{"Id":%q,"Arn":%q,"UsernameAttributes":["email"]}}`, poolID, poolARN)
	if err := os.WriteFile(filepath.Join(db, poolID+".json"), []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	cmd := exec.Command(node, start)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "HOST=127.0.0.1", fmt.Sprintf("PORT=%d", port))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	Start(t, "cognito-local", cmd, 20*time.Second, func() bool {
		resp, err := http.Get(base + "/health")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	return base
}
