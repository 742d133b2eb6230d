package tokens

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	testPoolARN = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_TestPool1"
	otherPool   = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Other"
)

var (
	issuerOnce sync.Once
	issuer     *Issuer
)

// testIssuer shares one key across tests: RSA generation is the slow part.
func testIssuer(t testing.TB) *Issuer {
	issuerOnce.Do(func() {
		var err error
		if issuer, err = GenerateIssuer(); err != nil {
			panic(err)
		}
	})
	return issuer
}

func localVerifier(t testing.TB) *Verifier {
	r, err := NewResolver(ResolverConfig{Local: testIssuer(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return &Verifier{Resolver: r}
}

func mint(t testing.TB, o MintOptions) string {
	t.Helper()
	if o.Pool == "" {
		o.Pool = testPoolARN
	}
	if o.Username == "" {
		o.Username = "alice"
	}
	tok, err := testIssuer(t).Mint(o)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func mintBad(t testing.TB, kind Bad, o MintOptions) string {
	t.Helper()
	if o.Pool == "" {
		o.Pool = testPoolARN
	}
	if o.Username == "" {
		o.Username = "alice"
	}
	tok, err := testIssuer(t).MintBad(kind, o)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestVerify(t *testing.T) {
	v := localVerifier(t)
	idRules := Rules{PoolARNs: []string{testPoolARN}}
	scoped := Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/write", "todo/read"}}
	cases := []struct {
		name    string
		token   string
		rules   Rules
		wantErr error // nil = accepted
		reason  string
	}{
		{"good ID token", mint(t, MintOptions{}), idRules, nil, ""},
		{"good ID token with Bearer", "Bearer " + mint(t, MintOptions{}), idRules, nil, ""},
		{"good access token with one of the scopes", mint(t, MintOptions{Scopes: []string{"todo/read"}}), scoped, nil, ""},
		{"access token with extra scopes", mint(t, MintOptions{Scopes: []string{"other", "todo/write"}}), scoped, nil, ""},
		{"no token", "", idRules, ErrUnauthorized, "no token"},
		{"expired", mintBad(t, BadExpired, MintOptions{}), idRules, ErrExpired, "expired at"},
		{"expired access token on scoped route", mintBad(t, BadExpired, MintOptions{Scopes: []string{"todo/read"}}), scoped, ErrExpired, "expired"},
		{"forged signature", mintBad(t, BadForged, MintOptions{}), idRules, ErrUnauthorized, "signature"},
		{"tampered payload", mintBad(t, BadTampered, MintOptions{}), idRules, ErrUnauthorized, "signature"},
		{"wrong issuer", mintBad(t, BadWrongIssuer, MintOptions{}), idRules, ErrUnauthorized, "is not pool"},
		{"token of another pool", mint(t, MintOptions{Pool: otherPool}), idRules, ErrUnauthorized, "is not pool"},
		{"alg none", mintBad(t, BadAlgNone, MintOptions{}), idRules, ErrUnauthorized, `signing method "none" is invalid`},
		{"HS256 with the public key", mintBad(t, BadHS256, MintOptions{}), idRules, ErrUnauthorized, `signing method "HS256" is invalid`},
		{"garbage", mintBad(t, BadGarbage, MintOptions{}), idRules, ErrUnauthorized, "malformed"},
		{"ID token on scoped route", mint(t, MintOptions{}), scoped, ErrUnauthorized, "takes an access token"},
		{"access token on unscoped route", mint(t, MintOptions{TokenUse: UseAccess}), idRules, ErrUnauthorized, "takes an ID token"},
		{"access token without the scope", mint(t, MintOptions{Scopes: []string{"todo/delete"}}), scoped, ErrUnauthorized, "has none of"},
		{"default access scope only", mint(t, MintOptions{TokenUse: UseAccess}), scoped, ErrUnauthorized, "has none of"},
		{"validation expression matches aud", mint(t, MintOptions{ClientID: "abc123client"}),
			Rules{PoolARNs: []string{testPoolARN}, ValidationExpression: "abc[0-9]+client"}, nil, ""},
		{"validation expression is anchored", mint(t, MintOptions{ClientID: "xabc123client"}),
			Rules{PoolARNs: []string{testPoolARN}, ValidationExpression: "abc[0-9]+client"}, ErrUnauthorized, "does not match"},
		{"validation expression refuses access tokens", mint(t, MintOptions{Scopes: []string{"todo/read"}}),
			Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/read"}, ValidationExpression: ".*"}, ErrUnauthorized, "no aud"},
		{"second pool of the authorizer", mint(t, MintOptions{Pool: otherPool}),
			Rules{PoolARNs: []string{testPoolARN, otherPool}}, nil, ""},
		{"authorizer with no pools", mint(t, MintOptions{}), Rules{}, ErrUnauthorized, "names no user pools"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := v.Verify(context.Background(), c.token, c.rules)
			if c.wantErr == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if res.Claims["sub"] == "" || res.Claims["iss"] == nil {
					t.Fatalf("claims missing: %v", res.Claims)
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted, want %v", c.wantErr)
			}
			if !errors.Is(err, c.wantErr) {
				t.Fatalf("error %v, want %v", err, c.wantErr)
			}
			if !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("reason %q does not mention %q", err, c.reason)
			}
		})
	}
}

func TestExpiredMessage(t *testing.T) {
	v := localVerifier(t)
	_, err := v.Verify(context.Background(), mintBad(t, BadExpired, MintOptions{}), Rules{PoolARNs: []string{testPoolARN}})
	if got := Message(err); got != "The incoming token has expired" {
		t.Fatalf("message %q", got)
	}
	_, err = v.Verify(context.Background(), "nope", Rules{PoolARNs: []string{testPoolARN}})
	if got := Message(err); got != "Unauthorized" {
		t.Fatalf("message %q", got)
	}
}

func TestRawOnlyRefusesBearer(t *testing.T) {
	v := localVerifier(t)
	v.RawOnly = true
	rules := Rules{PoolARNs: []string{testPoolARN}}
	if _, err := v.Verify(context.Background(), "Bearer "+mint(t, MintOptions{}), rules); err == nil {
		t.Fatal("Bearer token accepted with RawOnly")
	}
	if _, err := v.Verify(context.Background(), mint(t, MintOptions{}), rules); err != nil {
		t.Fatal(err)
	}
}

func TestClockDecidesExpiry(t *testing.T) {
	v := localVerifier(t)
	tok := mint(t, MintOptions{Expires: time.Minute})
	v.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	_, err := v.Verify(context.Background(), tok, Rules{PoolARNs: []string{testPoolARN}})
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("got %v", err)
	}
}

func TestClaimsShape(t *testing.T) {
	v := localVerifier(t)
	id := mint(t, MintOptions{ClientID: "client1", Groups: []string{"admin", "ops"}, Email: "a@example.com"})
	res, err := v.Verify(context.Background(), id, Rules{PoolARNs: []string{testPoolARN}})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Claims.Strings()
	for k, want := range map[string]string{
		"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1", "token_use": "id",
		"aud": "client1", "cognito:username": "alice", "cognito:groups": "admin,ops", "email_verified": "true",
	} {
		if s[k] != want {
			t.Errorf("%s = %q, want %q", k, s[k], want)
		}
	}
	if _, err := time.Parse("Mon Jan 02 15:04:05 UTC 2006", s["exp"]); err != nil {
		t.Errorf("exp %q: %v", s["exp"], err)
	}
	// The same user gets the same sub in every token, as in a real pool.
	res2, _ := v.Verify(context.Background(), mint(t, MintOptions{}), Rules{PoolARNs: []string{testPoolARN}})
	if res2.Claims["sub"] != res.Claims["sub"] {
		t.Errorf("sub changed between tokens")
	}

	acc := mint(t, MintOptions{Scopes: []string{"todo/read", "todo/write"}, ClientID: "client1"})
	res, err = v.Verify(context.Background(), acc, Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/write"}})
	if err != nil {
		t.Fatal(err)
	}
	s = res.Claims.Strings()
	for k, want := range map[string]string{"client_id": "client1", "username": "alice", "scope": "todo/read todo/write", "token_use": "access"} {
		if s[k] != want {
			t.Errorf("%s = %q, want %q", k, s[k], want)
		}
	}
	if _, ok := s["aud"]; ok {
		t.Errorf("access token has aud")
	}
}

func TestMintRefusesNonsense(t *testing.T) {
	iss := testIssuer(t)
	for _, o := range []MintOptions{
		{Pool: "not-a-pool", Username: "a"},
		{Pool: testPoolARN},
		{Pool: testPoolARN, Username: "a", TokenUse: "refresh"},
		{Pool: testPoolARN, Username: "a", TokenUse: UseID, Scopes: []string{"x"}},
	} {
		if _, err := iss.Mint(o); err == nil {
			t.Errorf("minted %+v", o)
		}
	}
	if _, err := iss.MintBad("bogus", MintOptions{Pool: testPoolARN, Username: "a"}); err == nil {
		t.Error("unknown bad kind accepted")
	}
}

func TestParsePool(t *testing.T) {
	p, err := ParsePool(testPoolARN)
	if err != nil || p.Region != "us-east-1" || p.Account != "123456789012" || p.ID != "us-east-1_TestPool1" {
		t.Fatalf("%+v %v", p, err)
	}
	p, err = ParsePool("eu-west-2_abc")
	if err != nil || p.Region != "eu-west-2" || p.CognitoIssuer() != "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_abc" {
		t.Fatalf("%+v %v", p, err)
	}
	for _, bad := range []string{"", "arn:aws:s3:::bucket", "pool", "arn:aws:cognito-idp:us-east-1:1:userpool/"} {
		if _, err := ParsePool(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

// jwksServer serves an issuer's JWKS under /{pool}/.well-known/jwks.json,
// the way cognito-local and Cognito do, and counts fetches.
func jwksServer(t *testing.T, iss *Issuer) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/.well-known/jwks.json") {
			http.NotFound(w, r)
			return
		}
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Write(iss.JWKS())
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestMappedIssuerFetchesJWKSOnce(t *testing.T) {
	remote, err := GenerateIssuer()
	if err != nil {
		t.Fatal(err)
	}
	srv, fetches := jwksServer(t, remote)
	issURL := srv.URL + "/us-east-1_TestPool1"
	r, err := NewResolver(ResolverConfig{Local: testIssuer(t), Issuers: map[string]string{testPoolARN: issURL}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	rules := Rules{PoolARNs: []string{testPoolARN}}

	good, _ := remote.Mint(MintOptions{Pool: testPoolARN, Username: "bob", Issuer: issURL})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := v.Verify(context.Background(), good, rules); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1 (cached)", n)
	}
	// The pool is mapped away, so the built-in issuer's tokens (real iss)
	// no longer pass.
	if _, err := v.Verify(context.Background(), mint(t, MintOptions{}), rules); err == nil {
		t.Error("built-in token accepted for a pool mapped elsewhere")
	}
	// A token signed by the right key under another issuer URL fails on iss.
	wrong, _ := remote.Mint(MintOptions{Pool: testPoolARN, Username: "bob"})
	if _, err := v.Verify(context.Background(), wrong, rules); err == nil || !strings.Contains(err.Error(), "is not pool") {
		t.Errorf("got %v", err)
	}
}

func TestWildcardMapping(t *testing.T) {
	remote, _ := GenerateIssuer()
	srv, _ := jwksServer(t, remote)
	m := map[string]string{}
	if err := ParseMappings("*="+srv.URL+"/{pool}", m); err != nil {
		t.Fatal(err)
	}
	r, err := NewResolver(ResolverConfig{Issuers: m})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	tok, _ := remote.Mint(MintOptions{Pool: otherPool, Username: "bob", Issuer: srv.URL + "/eu-west-1_Other"})
	if _, err := v.Verify(context.Background(), tok, Rules{PoolARNs: []string{otherPool}}); err != nil {
		t.Fatal(err)
	}
}

func TestRemoteCognitoForUnmappedRealPools(t *testing.T) {
	remote, _ := GenerateIssuer()
	srv, fetches := jwksServer(t, remote)
	r, err := NewResolver(ResolverConfig{
		Local: testIssuer(t), Remote: true,
		CognitoURL: func(region string) string { return srv.URL },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	rules := Rules{PoolARNs: []string{testPoolARN}}
	// Built-in tokens are checked without any fetch.
	if _, err := v.Verify(context.Background(), mint(t, MintOptions{}), rules); err != nil {
		t.Fatal(err)
	}
	if fetches.Load() != 0 {
		t.Fatal("a built-in token caused a JWKS fetch")
	}
	// A "real Cognito" token (real iss, Cognito's key) is checked against
	// the fetched JWKS.
	real, _ := remote.Mint(MintOptions{Pool: testPoolARN, Username: "carol"})
	if _, err := v.Verify(context.Background(), real, rules); err != nil {
		t.Fatal(err)
	}
	if fetches.Load() != 1 {
		t.Fatalf("fetches = %d", fetches.Load())
	}
	// cognito-local style pools never reach for the public endpoint.
	local := "arn:aws:cognito-idp:local:local:userpool/local_abc"
	if _, err := v.Verify(context.Background(), mint(t, MintOptions{Pool: local}), Rules{PoolARNs: []string{local}}); err != nil {
		t.Fatal(err)
	}
	tok, _ := remote.Mint(MintOptions{Pool: local, Username: "x"})
	if _, err := v.Verify(context.Background(), tok, Rules{PoolARNs: []string{local}}); err == nil {
		t.Fatal("accepted")
	}
	if fetches.Load() != 1 {
		t.Fatalf("fetches = %d", fetches.Load())
	}
}

func TestResolverRefusesBadMappings(t *testing.T) {
	for _, m := range []map[string]string{
		{"not-a-pool": "http://127.0.0.1:1/x"},
		{testPoolARN: "ftp://x"},
		{testPoolARN: Local}, // no built-in issuer configured
	} {
		if _, err := NewResolver(ResolverConfig{Issuers: m}); err == nil {
			t.Errorf("%v accepted", m)
		}
	}
	if err := ParseMappings("nonsense", map[string]string{}); err == nil {
		t.Error("mapping without = accepted")
	}
	path := filepath.Join(t.TempDir(), "issuers")
	if err := os.WriteFile(path, []byte("# pools\nus-east-1_a=local\n\nbad line\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := ReadMappingFile(path, map[string]string{})
	if err == nil || !strings.Contains(err.Error(), ":4:") {
		t.Errorf("got %v, want an error on line 4", err)
	}
}

func TestLoadOrCreateIssuerIsSharedAndPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".portcullis", "issuer-key.pem")
	var (
		wg   sync.WaitGroup
		kids [3]string
	)
	for i := range kids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			iss, err := LoadOrCreateIssuer(path)
			if err != nil {
				t.Error(err)
				return
			}
			kids[i] = iss.KeyID()
		}()
	}
	wg.Wait()
	if kids[0] == "" || kids[0] != kids[1] || kids[1] != kids[2] {
		t.Fatalf("processes disagree on the key: %v", kids)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("key mode %v", fi.Mode().Perm())
	}
	again, err := LoadOrCreateIssuer(path)
	if err != nil || again.KeyID() != kids[0] {
		t.Fatalf("reload: %v %v", again, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := os.WriteFile(path, []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateIssuer(path); err == nil {
		t.Error("junk key accepted")
	}
}

func BenchmarkVerify(b *testing.B) {
	v := localVerifier(b)
	tok := mint(b, MintOptions{Scopes: []string{"todo/read"}})
	rules := Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/read"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.Verify(context.Background(), tok, rules); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIssuerThatComesUpLater: the first fetch fails (cognito-local not yet
// started); once it answers, tokens pass without restarting the gateway.
func TestIssuerThatComesUpLater(t *testing.T) {
	remote, _ := GenerateIssuer()
	var up atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !up.Load() {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		w.Write(remote.JWKS())
	}))
	defer srv.Close()
	iss := srv.URL + "/us-east-1_TestPool1"
	r, err := NewResolver(ResolverConfig{Issuers: map[string]string{testPoolARN: iss}, HTTP: RemoteOptions{UnknownKIDEvery: 50 * time.Millisecond, Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	tok, _ := remote.Mint(MintOptions{Pool: testPoolARN, Username: "a", Issuer: iss})
	rules := Rules{PoolARNs: []string{testPoolARN}}
	_, err = v.Verify(context.Background(), tok, rules)
	if err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("want a refusal naming the failed fetch, got %v", err)
	}
	up.Store(true)
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err = v.Verify(context.Background(), tok, rules); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("issuer never picked up: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestJWKSFetchTimesOut: an issuer that never answers costs a request the
// fetch timeout, not a hang, and the next token within the re-fetch limit
// is refused at once.
func TestJWKSFetchTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	iss := srv.URL + "/us-east-1_TestPool1"
	r, err := NewResolver(ResolverConfig{Issuers: map[string]string{testPoolARN: iss}, HTTP: RemoteOptions{Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	tok := mint(t, MintOptions{Issuer: iss})
	rules := Rules{PoolARNs: []string{testPoolARN}}
	start := time.Now()
	if _, err := v.Verify(context.Background(), tok, rules); err == nil {
		t.Fatal("accepted")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("first refusal took %v", d)
	}
	start = time.Now()
	if _, err := v.Verify(context.Background(), tok, rules); err == nil || !strings.Contains(err.Error(), "fetching it failed") {
		t.Fatalf("got %v", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("second refusal waited %v for a rate-limited re-fetch", d)
	}
}

// TestTimesAndScopesAreStrict: nbf and iat ahead of the clock (beyond the
// five-second skew) are refused, and scope is split on single spaces only.
func TestTimesAndScopesAreStrict(t *testing.T) {
	v := localVerifier(t)
	iss := testIssuer(t)
	idRules := Rules{PoolARNs: []string{testPoolARN}}
	scoped := Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/read"}}
	o, _, err := MintOptions{Pool: testPoolARN, Username: "alice"}.resolve()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	signed := func(edit func(c map[string]any), access bool) string {
		oo := o
		if access {
			oo.TokenUse, oo.Scopes = UseAccess, []string{"todo/read"}
		}
		c := oo.claims()
		edit(c)
		tok, err := iss.sign(c)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for _, c := range []struct {
		name   string
		tok    string
		rules  Rules
		reason string // "" = accepted
	}{
		{"nbf an hour ahead", signed(func(c map[string]any) { c["nbf"] = now + 3600 }, false), idRules, "nbf"},
		{"iat a day ahead", signed(func(c map[string]any) { c["iat"] = now + 86400 }, false), idRules, "iat"},
		{"iat a minute ahead", signed(func(c map[string]any) { c["iat"] = now + 60 }, false), idRules, "iat"},
		{"iat within the skew", signed(func(c map[string]any) { c["iat"] = now + 2 }, false), idRules, ""},
		{"nbf in the past", signed(func(c map[string]any) { c["nbf"] = now - 10 }, false), idRules, ""},
		{"scope split by a tab", signed(func(c map[string]any) { c["scope"] = "aws.cognito.signin.user.admin\ttodo/read" }, true), scoped, "has none of"},
		{"scope split by a newline", signed(func(c map[string]any) { c["scope"] = "x\ntodo/read" }, true), scoped, "has none of"},
		{"scope split by a space", signed(func(c map[string]any) { c["scope"] = "x todo/read" }, true), scoped, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), c.tok, c.rules)
			if c.reason == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !errors.Is(err, ErrUnauthorized) || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("got %v, want a 401 mentioning %q", err, c.reason)
			}
		})
	}
}

// TestIssuerOnLoopbackIsParsed: only an issuer whose host is this machine
// is trusted without a mapping; "127.evil.example" is a remote name.
func TestIssuerOnLoopbackIsParsed(t *testing.T) {
	r, err := NewResolver(ResolverConfig{Local: testIssuer(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for issuer, trusted := range map[string]bool{
		"http://127.0.0.1:9229/pool":       true,
		"http://localhost:9229/pool":       true,
		"http://127.evil.example/pool":     false,
		"https://127.0.0.1.evil.example/p": false,
		"https://localhost.evil.example/p": false,
	} {
		if _, err := r.TrustIssuer(issuer); (err == nil) != trusted {
			t.Errorf("TrustIssuer(%q): err %v, want trusted %v", issuer, err, trusted)
		}
	}
}
