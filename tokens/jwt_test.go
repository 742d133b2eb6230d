package tokens

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const testIssuerURL = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1"

func TestVerifyJWT(t *testing.T) {
	v := localVerifier(t)
	ctx := context.Background()
	const client = "client-a"
	rules := JWTRules{Issuer: testIssuerURL, Audiences: []string{"other", client}}
	scoped := rules
	scoped.Scopes = []string{"todo/write", "todo/read"}
	id := mint(t, MintOptions{ClientID: client})
	access := mint(t, MintOptions{ClientID: client, Scopes: []string{"todo/read"}})
	otherAccess := mint(t, MintOptions{ClientID: client, Scopes: []string{"other/x"}})
	foreignClient := mint(t, MintOptions{ClientID: "client-z"})

	for _, c := range []struct {
		name  string
		tok   string
		rules JWTRules
		want  error  // nil, ErrUnauthorized or ErrForbidden
		desc  string // part of the www-authenticate description
	}{
		{"ID token, no scopes: aud matches", id, rules, nil, ""},
		{"access token, no scopes: client_id matches", access, rules, nil, ""},
		{"Bearer prefix", "Bearer " + access, rules, nil, ""},
		{"bearer lower case", "bearer " + access, rules, nil, ""},
		{"access token with one of the scopes", access, scoped, nil, ""},
		{"ID token on a scoped route", id, scoped, ErrForbidden, "scope"},
		{"access token without the scopes", otherAccess, scoped, ErrForbidden, "scope"},
		{"audience not listed", foreignClient, rules, ErrUnauthorized, "audience"},
		{"no token", "", rules, ErrUnauthorized, ""},
		{"garbage", "garbage", rules, ErrUnauthorized, "malformed"},
		{"expired", mintBad(t, BadExpired, MintOptions{ClientID: client}), rules, ErrUnauthorized, "expired"},
		{"forged", mintBad(t, BadForged, MintOptions{ClientID: client}), rules, ErrUnauthorized, "signature"},
		{"tampered", mintBad(t, BadTampered, MintOptions{ClientID: client}), rules, ErrUnauthorized, "signature"},
		{"wrong issuer", mintBad(t, BadWrongIssuer, MintOptions{ClientID: client}), rules, ErrUnauthorized, "issuer"},
		{"alg none", mintBad(t, BadAlgNone, MintOptions{ClientID: client}), rules, ErrUnauthorized, "signing method"},
		{"HS256", mintBad(t, BadHS256, MintOptions{ClientID: client}), rules, ErrUnauthorized, "signing method"},
		{"untrusted issuer", id, JWTRules{Issuer: "https://login.example.com", Audiences: []string{client}}, ErrUnauthorized, "issuer"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, err := v.VerifyJWT(ctx, c.tok, c.rules)
			if c.want == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if res.Claims["sub"] == nil {
					t.Fatalf("claims %v", res.Claims)
				}
				return
			}
			var je *JWTError
			if !errors.As(err, &je) || !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
			if !strings.Contains(je.Description, c.desc) {
				t.Fatalf("description %q, want it to mention %q", je.Description, c.desc)
			}
			h := je.WWWAuthenticate()
			if !strings.HasPrefix(h, "Bearer") || strings.Contains(h, c.tok) && c.tok != "" {
				t.Fatalf("www-authenticate %q", h)
			}
		})
	}
}

// TestVerifyJWTAudBeforeClientID: with aud present, client_id is not
// looked at (AWS's troubleshooting page).
func TestVerifyJWTAudBeforeClientID(t *testing.T) {
	iss := testIssuer(t)
	c := jwt.MapClaims{"iss": testIssuerURL, "sub": "s", "aud": "web", "client_id": "client-a", "exp": time.Now().Add(time.Hour).Unix()}
	tok, err := iss.sign(c)
	if err != nil {
		t.Fatal(err)
	}
	v := localVerifier(t)
	if _, err := v.VerifyJWT(context.Background(), tok, JWTRules{Issuer: testIssuerURL, Audiences: []string{"client-a"}}); err == nil {
		t.Fatal("client_id matched although aud is present")
	}
	if _, err := v.VerifyJWT(context.Background(), tok, JWTRules{Issuer: testIssuerURL, Audiences: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	// nbf in the future and scp as an array.
	c2 := jwt.MapClaims{"iss": testIssuerURL, "aud": "web", "exp": time.Now().Add(time.Hour).Unix(), "nbf": time.Now().Add(time.Minute).Unix()}
	tok2, _ := iss.sign(c2)
	if _, err := v.VerifyJWT(context.Background(), tok2, JWTRules{Issuer: testIssuerURL, Audiences: []string{"web"}}); err == nil {
		t.Fatal("nbf in the future accepted")
	}
	c3 := jwt.MapClaims{"iss": testIssuerURL, "aud": "web", "exp": time.Now().Add(time.Hour).Unix(), "scp": []string{"a", "b"}}
	tok3, _ := iss.sign(c3)
	if _, err := v.VerifyJWT(context.Background(), tok3, JWTRules{Issuer: testIssuerURL, Audiences: []string{"web"}, Scopes: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
}

// TestSignatureCacheStillChecksClaims: a cached signature saves only the
// RSA step; a token that expires after its first use is refused, and a
// token whose kid now finds another key is verified again and refused.
func TestSignatureCacheStillChecksClaims(t *testing.T) {
	v := localVerifier(t)
	ctx := context.Background()
	rules := JWTRules{Issuer: testIssuerURL, Audiences: []string{"client-a"}}
	tok := mint(t, MintOptions{ClientID: "client-a", Expires: time.Minute})
	for range 2 {
		if _, err := v.VerifyJWT(ctx, tok, rules); err != nil {
			t.Fatal(err)
		}
	}
	if want := map[bool]int{true: 1, false: 0}[v.cacheOn()]; len(v.sigs.m) != want {
		t.Fatalf("signature cache holds %d entries, want %d", len(v.sigs.m), want)
	}
	v.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
	if _, err := v.VerifyJWT(ctx, tok, rules); err == nil || !strings.Contains(err.(*JWTError).Description, "expired") {
		t.Fatalf("expired token with a cached signature: %v", err)
	}
	if _, err := v.Verify(ctx, tok, Rules{PoolARNs: []string{testPoolARN}}); !errors.Is(err, ErrExpired) {
		t.Fatalf("v1 path, expired token with a cached signature: %v", err)
	}
	v.Now = nil

	// Another issuer key under the same kid: the cached entry does not
	// vouch for it.
	rotated, err := GenerateIssuer()
	if err != nil {
		t.Fatal(err)
	}
	rotated.kid = testIssuer(t).kid
	r, err := NewResolver(ResolverConfig{Local: rotated})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v.Resolver = r
	if _, err := v.VerifyJWT(ctx, tok, rules); err == nil {
		t.Fatal("a signature cached for one key vouched for another")
	}
}

// TestIssuerURLMapping: a non-Cognito issuer is trusted only when mapped.
func TestIssuerURLMapping(t *testing.T) {
	const custom = "https://auth.example.com/tenant"
	r, err := NewResolver(ResolverConfig{Local: testIssuer(t), Issuers: map[string]string{custom: Local}})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	v := &Verifier{Resolver: r}
	tok := mint(t, MintOptions{ClientID: "c", Issuer: custom})
	if _, err := v.VerifyJWT(context.Background(), tok, JWTRules{Issuer: custom, Audiences: []string{"c"}}); err != nil {
		t.Fatal(err)
	}
	// cognito-local named directly as the issuer (loopback): its own JWKS.
	remote, _ := GenerateIssuer()
	srv, fetches := jwksServer(t, remote)
	iss := srv.URL + "/local_pool"
	tok2, _ := remote.Mint(MintOptions{Pool: testPoolARN, Username: "bob", Issuer: iss, ClientID: "c"})
	if _, err := v.VerifyJWT(context.Background(), tok2, JWTRules{Issuer: iss, Audiences: []string{"c"}}); err != nil {
		t.Fatal(err)
	}
	if fetches.Load() != 1 {
		t.Fatalf("JWKS fetched %d times", fetches.Load())
	}
}

func BenchmarkVerifyJWT(b *testing.B) {
	for _, c := range []struct {
		name    string
		noCache bool
	}{{"signature-cache", false}, {"verify-every-time", true}} {
		b.Run(c.name, func(b *testing.B) {
			v := localVerifier(b)
			v.NoSignatureCache = c.noCache
			tok := mint(b, MintOptions{ClientID: "client-a", Scopes: []string{"todo/read"}})
			rules := JWTRules{Issuer: testIssuerURL, Audiences: []string{"client-a"}, Scopes: []string{"todo/read"}}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := v.VerifyJWT(context.Background(), tok, rules); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzSignatureCache holds the verified-token cache against its slow twin
// (every signature verified, every token decoded): for any token, after
// the cache has seen good tokens, both verifiers accept or refuse it alike
// and for the same reason, on the v1 and the v2 check.
func FuzzSignatureCache(f *testing.F) {
	good := mint(f, MintOptions{ClientID: "client-a", Scopes: []string{"todo/read"}})
	id := mint(f, MintOptions{ClientID: "client-a"})
	for _, s := range []string{good, id, "Bearer " + good, mintBad(f, BadTampered, MintOptions{ClientID: "client-a"}),
		mintBad(f, BadForged, MintOptions{ClientID: "client-a"}), mintBad(f, BadExpired, MintOptions{ClientID: "client-a"}), "garbage", ""} {
		f.Add(s)
	}
	fast, slow := localVerifier(f), localVerifier(f)
	slow.NoSignatureCache = true
	ctx := context.Background()
	jrules := JWTRules{Issuer: testIssuerURL, Audiences: []string{"client-a"}, Scopes: []string{"todo/read"}}
	rules := Rules{PoolARNs: []string{testPoolARN}, Scopes: []string{"todo/read"}}
	for _, tok := range []string{good, id} {
		_, _ = fast.VerifyJWT(ctx, tok, jrules)
		_, _ = fast.Verify(ctx, tok, rules)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		for i := 0; i < 2; i++ { // the second round meets the cache
			_, ef := fast.VerifyJWT(ctx, tok, jrules)
			_, es := slow.VerifyJWT(ctx, tok, jrules)
			if (ef == nil) != (es == nil) || ef != nil && ef.(*JWTError).Description != es.(*JWTError).Description {
				t.Fatalf("VerifyJWT: cache %v, without %v", ef, es)
			}
			_, ef = fast.Verify(ctx, tok, rules)
			_, es = slow.Verify(ctx, tok, rules)
			if (ef == nil) != (es == nil) || ef != nil && Message(ef) != Message(es) {
				t.Fatalf("Verify: cache %v, without %v", ef, es)
			}
		}
	})
}
