package client_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/client"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
)

func TestGolden(t *testing.T) {
	gentest.Golden(t, client.New(), generators.Options{})
}

func TestTokenChoice(t *testing.T) {
	for _, c := range []struct {
		r    spec.Route
		want string
	}{
		{spec.Route{AuthType: spec.AuthNone, Public: true}, "none"},
		{spec.Route{AuthType: spec.AuthCognito, Authorizer: "pool"}, "id"},
		{spec.Route{AuthType: spec.AuthCognito, Authorizer: "pool", Scopes: []string{"todo/read"}}, "access"},
		{spec.Route{AuthType: spec.AuthIAM}, "none"},
	} {
		if got := client.TokenFor(&c.r); got != c.want {
			t.Errorf("%+v: %s, want %s", c.r, got, c.want)
		}
	}
}

// TestStringsCannotEscape feeds names and values full of JavaScript syntax
// through the generator: each must stay inside a literal or a comment.
func TestStringsCannotEscape(t *testing.T) {
	evil := "x\"); globalThis.pwned = 1; (\"`${1}`\n// */ \u2028"
	d := &spec.Description{APIs: []*spec.API{{
		Name: evil, Region: "us-east-1",
		Authorizers: []*spec.Authorizer{{Name: evil, Type: spec.AuthorizerCognito, IdentitySource: "method.request.header." + evil,
			UserPoolARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_X"}}},
		Routes: []*spec.Route{{Method: "GET", Path: "/a/{" + evil + "}", AuthType: spec.AuthCognito, Authorizer: evil, Scopes: []string{evil}, Reason: evil, OperationName: evil}},
		Stages: []*spec.Stage{{Name: evil}},
	}}}
	files, err := client.New().Generate(d, generators.Options{Source: evil})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(string(f.Content), "pwned = 1; (") && !strings.Contains(string(f.Content), `\"); globalThis.pwned = 1; (\"`) {
			t.Errorf("%s: a description string left its literal:\n%s", f.Path, f.Content)
		}
		if strings.ContainsRune(string(f.Content), '\u2028') {
			t.Errorf("%s: a raw line separator", f.Path)
		}
	}
	compile(t, map[string][]generators.File{"evil": files})
}

// TestCompilesStrict compiles every example's client, and those of random
// descriptions, with the pinned TypeScript under --strict: the .ts, the
// .js against its .d.ts, and a consumer that wires the real aws-amplify v6
// types (Amplify.configure, fetchAuthSession) to the module.
func TestCompilesStrict(t *testing.T) {
	peertest.Long(t)
	sets := map[string][]generators.File{}
	for _, ex := range gentest.Examples(t) {
		files, err := client.New().Generate(ex.Desc, generators.Options{Source: ex.Path})
		if err != nil {
			t.Fatal(err)
		}
		sets[ex.Name] = files
	}
	for seed := range uint64(6) {
		d := gentest.Random(rand.New(rand.NewPCG(seed, 16)))
		files, err := client.New().Generate(d, generators.Options{Source: "random"})
		if err != nil {
			t.Fatal(err)
		}
		sets[fmt.Sprintf("random%d", seed)] = files
	}
	// An HTTP API with a $default route and a $default stage.
	d := &spec.Description{HTTPAPIs: []*spec.HTTPAPI{{Name: "catch-all", Region: "eu-west-1",
		Authorizers: []*spec.JWTAuthorizer{{Name: "pool", Type: spec.AuthorizerJWT, Issuer: spec.CognitoIssuer("eu-west-1_Abc"),
			Audiences: []string{"client"}, IdentitySources: []string{"$request.header.X-Token"}}},
		Routes: []*spec.HTTPRoute{
			{Key: spec.DefaultRouteKey, AuthType: spec.AuthJWT, Authorizer: "pool"},
			{Key: "GET /public", Method: "GET", Path: "/public", AuthType: spec.AuthNone, Public: true},
		},
		Stages: []*spec.HTTPStage{{Name: spec.DefaultStageName, AutoDeploy: true}},
	}}}
	files, err := client.New().Generate(d, generators.Options{Source: "catch-all"})
	if err != nil {
		t.Fatal(err)
	}
	ts := string(files[0].Content)
	for _, want := range []string{`defaultRoute(params: { path: string }`, `header: "X-Token"`, `userPoolId: string | undefined = "eu-west-1_Abc"`} {
		if !strings.Contains(ts, want) {
			t.Errorf("the $default client lacks %s:\n%s", want, ts)
		}
	}
	sets["catch-all"] = files
	compile(t, sets)
}

// TestRuntimeInNode runs the generated JavaScript in Node against a fake
// fetch: the token each route sends, and the reasons a 401 or 403 is given.
func TestRuntimeInNode(t *testing.T) {
	peertest.Long(t)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	ex := example(t, "todo")
	files, err := client.New().Generate(ex.Desc, generators.Options{Source: ex.Path})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write(t, dir, files)
	write(t, dir, []generators.File{{Path: "js/package.json", Content: []byte(`{"type":"module"}`)}, {Path: "js/run.js", Content: []byte(nodeScript)}})
	out, err := exec.Command(node, filepath.Join(dir, "js", "run.js")).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := strings.TrimSpace(`
getHealth none 200 ok
getItems access:todo/read 200 ok
getItemsById access:todo/read /prod/items/a%2Fb 200 ok
deleteItemsById unauthorized:not-signed-in
getItems as id unauthorized:wrong-token-type
getItems with another scope unauthorized:missing-scope
getItems expired unauthorized:expired
getItems refused unauthorized:rejected
getHealth 403 forbidden:not-deployed
getItems 403 scope forbidden:missing-scope
getHealth 403 policy forbidden:denied
getHealth 500 http:500
getHealth fetch fails network:0`)
	if got := strings.TrimSpace(string(out)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

const nodeScript = `
import { createClient } from "./todo.client.js";
const jwt = (claims) => "e30." + Buffer.from(JSON.stringify(claims)).toString("base64url") + ".sig";
const id = jwt({ token_use: "id" });
const access = jwt({ token_use: "access", scope: "todo/read" });
let answer = { status: 200, body: "{}" };
let seen = "";
const fetch = async (url, init) => {
  const auth = init.headers.Authorization;
  seen = auth === undefined ? "none" : auth === id ? "id" : JSON.parse(Buffer.from(auth.split(".")[1], "base64url")).scope ? "access:" + JSON.parse(Buffer.from(auth.split(".")[1], "base64url")).scope : "access";
  if (url.includes("/items/")) seen += " " + new URL(url).pathname;
  if (answer === "fail") throw new TypeError("fetch failed");
  const headers = { "content-type": "application/json" };
  if (answer.scope) headers["www-authenticate"] = 'Bearer error="insufficient_scope"';
  return new Response(answer.body, { status: answer.status, headers });
};
const show = (name, r) => console.log(name, r.ok ? seen + " " + r.status + " ok" : r.kind + ":" + (r.reason ?? r.status ?? ""));
const signedIn = createClient({ baseURL: "https://api.test/prod/", tokens: async () => ({ idToken: id, accessToken: access }), fetch });
const signedOut = createClient({ baseURL: "https://api.test/prod", tokens: async () => ({}), fetch });
show("getHealth", await signedIn.getHealth());
show("getItems", await signedIn.getItems());
show("getItemsById", await signedIn.getItemsById({ id: "a/b" }));
answer = { status: 401, body: '{"message":"Unauthorized"}' };
show("deleteItemsById", await signedOut.deleteItemsById({ id: "1" }));
show("getItems as id", await signedIn.getItems({ token: "id" }));
show("getItems with another scope", await signedIn.postItems());
answer = { status: 401, body: '{"message":"The incoming token has expired"}' };
show("getItems expired", await signedIn.getItems());
answer = { status: 401, body: '{"message":"Unauthorized"}' };
show("getItems refused", await signedIn.getItems());
answer = { status: 403, body: '{"message":"Missing Authentication Token"}' };
show("getHealth 403", await signedIn.getHealth());
answer = { status: 403, body: '{"message":"Forbidden"}', scope: true };
show("getItems 403 scope", await signedIn.postItems());
answer = { status: 403, body: '{"message":"Forbidden"}' };
show("getHealth 403 policy", await signedIn.getHealth());
answer = { status: 500, body: '{"message":"Internal server error"}' };
show("getHealth 500", await signedIn.getHealth());
answer = "fail";
show("getHealth fetch fails", await signedIn.getHealth());
`

func example(t *testing.T, name string) gentest.Example {
	for _, ex := range gentest.Examples(t) {
		if ex.Name == name {
			return ex
		}
	}
	t.Fatalf("no example %s", name)
	return gentest.Example{}
}

func write(t *testing.T, dir string, files []generators.File) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// consumer uses what every module exports, against the real Amplify types.
const consumer = `import { Amplify } from "aws-amplify";
import { fetchAuthSession } from "aws-amplify/auth";
import { amplifyConfig, amplifyTokens, createClient, defaultStage, stageURL, type Result } from "./MODULE";

Amplify.configure(amplifyConfig({ userPoolClientId: "client", restApiId: "abc123", stage: defaultStage }));
const client = createClient({ baseURL: stageURL(defaultStage, "abc123"), tokens: amplifyTokens(fetchAuthSession) });
export function explain(r: Result): string {
  if (r.ok) return String(r.status);
  switch (r.kind) {
    case "unauthorized": return r.reason + " (sent " + r.sent + ")";
    case "forbidden": return r.reason;
    case "cors": case "network": return r.kind + ": " + r.message;
    default: return String(r.status);
  }
}
export { client };
`

// compile writes each set of files to its own folder (with a consumer of
// the .ts and one of the .js) and runs tsc --strict over all of them once.
func compile(t *testing.T, sets map[string][]generators.File) {
	t.Helper()
	if testing.Short() {
		return
	}
	tsc := peertest.Require(t, "browser/node_modules/typescript/bin/tsc")
	modules := filepath.Join(filepath.Dir(filepath.Dir(tsc)), "..")
	dir := t.TempDir()
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		t.Fatal(err)
	}
	for name, files := range sets {
		sub := filepath.Join(dir, name)
		write(t, sub, files)
		for _, f := range files {
			if strings.HasSuffix(f.Path, ".client.ts") {
				mod := strings.TrimSuffix(filepath.Base(f.Path), ".ts") + ".js"
				c := strings.Replace(consumer, "MODULE", mod, 1)
				write(t, sub, []generators.File{
					{Path: "use-ts.ts", Content: []byte(c)},
					{Path: "js/use-js.ts", Content: []byte(c)},
				})
			}
		}
	}
	tsconfig := `{"compilerOptions": {"strict": true, "noEmit": true, "target": "es2020", "lib": ["es2020", "dom"],
  "module": "esnext", "moduleResolution": "bundler", "allowJs": true, "skipLibCheck": true,
  "noUnusedLocals": true, "noImplicitReturns": true}, "include": ["*/**/*.ts", "*/**/*.js"]}`
	write(t, dir, []generators.File{{Path: "tsconfig.json", Content: []byte(tsconfig)}})
	cmd := exec.Command("node", tsc, "-p", dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tsc --strict: %v\n%s", err, out)
	}
}
