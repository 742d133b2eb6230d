package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/tokens"
)

func runLocalToken(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cmd := newLocalTokenCmd(&IOStreams{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }})
	cmd.SetArgs(args)
	cmd.SetOut(&errOut)
	cmd.SetErr(&errOut)
	err := cmd.Execute()
	return out.String(), err
}

func TestLocalTokenPrintsOnlyAVerifiableToken(t *testing.T) {
	key := filepath.Join(t.TempDir(), ".portcullis", "issuer-key.pem")
	pool := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc"
	out, err := runLocalToken(t, "--key", key, "--pool", pool, "--user", "alice", "--scopes", "todo/read,todo/write")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 || strings.Count(out, ".") != 2 {
		t.Fatalf("stdout is not one token line: %q", out)
	}
	v, _, err := tokens.Setup{KeyFile: key}.Verifier()
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Verify(context.Background(), strings.TrimSpace(out), tokens.Rules{PoolARNs: []string{pool}, Scopes: []string{"todo/write"}})
	if err != nil {
		t.Fatalf("the gateway's verifier refuses the minted token: %v", err)
	}
	if res.Claims["username"] != "alice" || res.TokenUse != "access" {
		t.Fatalf("claims %v", res.Claims)
	}

	// Without scopes: an ID token, for the same key (a second process).
	out, err = runLocalToken(t, "--key", key, "--pool", "us-east-1_abc", "--user", "bob", "--client-id", "web")
	if err != nil {
		t.Fatal(err)
	}
	res, err = v.Verify(context.Background(), strings.TrimSpace(out), tokens.Rules{PoolARNs: []string{pool}})
	if err != nil || res.Claims["aud"] != "web" || res.TokenUse != "id" {
		t.Fatalf("%v %v", res, err)
	}

	out, err = runLocalToken(t, "--key", key, "--pool", pool, "--user", "alice", "--bad", "expired")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(context.Background(), strings.TrimSpace(out), tokens.Rules{PoolARNs: []string{pool}}); !errors.Is(err, tokens.ErrExpired) {
		t.Fatalf("--bad expired: %v", err)
	}
}

func TestLocalTokenRefusesBadInput(t *testing.T) {
	key := filepath.Join(t.TempDir(), "k.pem")
	for _, args := range [][]string{
		{"--user", "alice"},
		{"--pool", "us-east-1_abc"},
		{"--pool", "nonsense", "--user", "a"},
		{"--pool", "us-east-1_abc", "--user", "a", "--token-use", "id", "--scopes", "x/y"},
		{"--pool", "us-east-1_abc", "--user", "a", "--expires", "-1h"},
		{"--pool", "us-east-1_abc", "--user", "a", "--bad", "sneaky"},
	} {
		out, err := runLocalToken(t, append([]string{"--key", key}, args...)...)
		if err == nil || out != "" {
			t.Errorf("%v: err %v, stdout %q", args, err, out)
		}
	}
}

func TestIssuerFlagsPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "issuers")
	if err := os.WriteFile(file, []byte("us-east-1_b=http://127.0.0.1:9229/us-east-1_b\nus-east-1_c=local\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &IssuerFlags{File: file, Mappings: []string{"us-east-1_c=http://127.0.0.1:1/c"}, KeyFile: "k", NoRemote: true}
	s, err := f.Setup(&IOStreams{Getenv: func(k string) string {
		if k == tokens.EnvIssuers {
			return "us-east-1_a=local,us-east-1_b=local"
		}
		return ""
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"us-east-1_a": "local", "us-east-1_b": "http://127.0.0.1:9229/us-east-1_b", "us-east-1_c": "http://127.0.0.1:1/c"}
	for k, v := range want {
		if s.Issuers[k] != v {
			t.Errorf("%s -> %q, want %q", k, s.Issuers[k], v)
		}
	}
	if s.Remote || s.KeyFile != "k" {
		t.Errorf("%+v", s)
	}
	f = &IssuerFlags{Mappings: []string{"oops"}}
	if _, err := f.Setup(&IOStreams{}); err == nil {
		t.Error("bad --issuer accepted")
	}
}
