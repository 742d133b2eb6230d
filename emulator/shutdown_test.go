package emulator

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

// A client's transport may dial a spare connection it never uses;
// http.Server.Shutdown would wait five seconds for it and Close would then
// fail with the deadline. Close must finish the requests it has and close
// the unused connection at once.
func TestCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	e := New(Options{})
	url, err := e.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	spare, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer spare.Close()
	// One request served, so the server has accepted both connections.
	resp, err := http.Get(url + "/_portcullis/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := e.Close(); err != nil {
		t.Fatalf("Close with an unused connection open: %v", err)
	}
	if _, err := spare.Read(make([]byte, 1)); err == nil {
		t.Error("the unused connection is still open after Close")
	}
}
