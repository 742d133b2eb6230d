package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/browser"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// TestBrowserColumnsOnTheLocalGateway probes the applied description from
// a page at https://app.example.com in headless Chromium: every protected
// route passes the preflight, allows Authorization and has a readable 401.
// Then a second stage is broken three ways, one per browser column, and
// each shows up in its column and as its finding.
func TestBrowserColumnsOnTheLocalGateway(t *testing.T) {
	path := peertest.Chromium(t)
	d, ds := load.Load("testdata/shop.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	api := d.APIs[0]
	g := startGateway(t, nil)
	id := g.importAndDeploy(t, d, "prod")
	ctx := context.Background()
	b, err := browser.Launch(ctx, browser.Options{Path: path, Origin: DefaultOrigin(api.CORS)})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	probeStage := func(stage string) (map[string][]string, *Result) {
		ds, res, err := Run(ctx, Options{API: api, BaseURL: LocalInvokeURL(g.endpoint, id, stage), Tokens: minted(t), Browser: b})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s:\n%s", stage, matrixJSON(res))
		return codes(ds), res
	}
	cells := func(res *Result, key string) string { return browserState(findRow(t, res, key)) }

	got, res := probeStage("prod")
	for _, row := range res.Routes {
		want := "pass pass pass"
		if row.Public {
			// Its declared MOCK maps no Access-Control-Allow-Origin: the
			// page cannot read even the 200.
			want = "skip skip cors"
		}
		if c := cells(res, row.Key); c != want {
			t.Errorf("prod %s: browser cells %q, want %q", row.Key, c, want)
		}
		if !row.Public && !has(got[row.Key], CodeBrowserOK) {
			t.Errorf("prod %s: no %s in %v", row.Key, CodeBrowserOK, got[row.Key])
		}
	}

	// One fault per column: the preflight of /files needs a token, the
	// preflight of /items/{id} leaves Authorization out, and no 4XX
	// gateway response carries CORS headers.
	patch := func(in *apigateway.UpdateIntegrationResponseInput) {
		if _, err := g.client.UpdateIntegrationResponse(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	files, item := g.resourceID(t, id, "/files/{path+}"), g.resourceID(t, id, "/items/{id}")
	if _, err := g.client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: aws.String(id), ResourceId: aws.String(files), HttpMethod: aws.String("OPTIONS"),
		PatchOperations: []types.PatchOperation{
			{Op: types.OpReplace, Path: aws.String("/authorizationType"), Value: aws.String("COGNITO_USER_POOLS")},
			{Op: types.OpReplace, Path: aws.String("/authorizerId"), Value: aws.String(authorizerID(t, g, id))},
		}}); err != nil {
		t.Fatal(err)
	}
	patch(&apigateway.UpdateIntegrationResponseInput{RestApiId: aws.String(id), ResourceId: aws.String(item), HttpMethod: aws.String("OPTIONS"), StatusCode: aws.String("200"),
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/responseParameters/method.response.header.Access-Control-Allow-Headers"), Value: aws.String("'Content-Type'")}}})
	if _, err := g.client.DeleteGatewayResponse(ctx, &apigateway.DeleteGatewayResponseInput{RestApiId: aws.String(id), ResponseType: types.GatewayResponseTypeDefault4xx}); err != nil {
		t.Fatal(err)
	}
	g.deploy(t, id, "broken")

	got, res = probeStage("broken")
	for key, want := range map[string]struct{ cells, code string }{
		"GET /files/{path+}": {"cors skip cors", CodeBrowserPreflight},
		"GET /items/{id}":    {"pass cors cors", CodeBrowserHeader},
		"GET /items":         {"pass pass cors", CodeBrowserUnreadable},
	} {
		if c := cells(res, key); c != want.cells {
			t.Errorf("broken %s: browser cells %q, want %q", key, c, want.cells)
		}
		if !has(got[key], want.code) {
			t.Errorf("broken %s: no %s in %v", key, want.code, got[key])
		}
		if has(got[key], CodeBrowserOK) {
			t.Errorf("broken %s: still %s", key, CodeBrowserOK)
		}
	}
}

// fakeBrowser answers every request the same way.
type fakeBrowser struct{ a browser.Answer }

func (fakeBrowser) Origin() string { return "https://app.example.com" }
func (f fakeBrowser) Fetch(context.Context, browser.Request) (browser.Answer, error) {
	return f.a, nil
}

// TestBrowserAnswersInEveryFormat checks the verdicts from canned answers:
// they reach the table's columns, the JSON of the result, and findings
// (which every output format prints).
func TestBrowserAnswersInEveryFormat(t *testing.T) {
	d, ds := load.Load("testdata/shop.hcl", load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	res := &Result{}
	for _, r := range d.APIs[0].Routes {
		res.Routes = append(res.Routes, RouteResult{Key: r.Key(), URL: "http://gw/x", Public: r.AuthType == "NONE", route: r, az: d.APIs[0].AuthorizerByName(r.Authorizer)})
	}
	for _, c := range []struct {
		a     browser.Answer
		cells string
		code  string
	}{
		{browser.Answer{Status: 401, Preflight: true}, "pass pass pass", CodeBrowserOK},
		{browser.Answer{Error: "TypeError: Failed to fetch", CORSError: "PreflightMissingAllowOriginHeader"}, "cors skip cors", CodeBrowserPreflight},
		{browser.Answer{Error: "TypeError: Failed to fetch", CORSError: "HeaderDisallowedByPreflightResponse", CORSParameter: "authorization"}, "pass cors cors", CodeBrowserHeader},
		{browser.Answer{Error: "TypeError: Failed to fetch", CORSError: "MissingAllowOriginHeader"}, "pass pass cors", CodeBrowserUnreadable},
	} {
		r := *res
		r.Routes = append([]RouteResult(nil), res.Routes...)
		ds, err := browserChecks(context.Background(), &Options{Browser: fakeBrowser{c.a}}, &r)
		if err != nil {
			t.Fatal(err)
		}
		row := findRow(t, &r, "GET /items")
		if got := browserState(row); got != c.cells {
			t.Errorf("%+v: cells %q, want %q", c.a, got, c.cells)
		}
		if !has(codes(ds)["GET /items"], c.code) {
			t.Errorf("%+v: no %s in %v", c.a, c.code, codes(ds))
		}
		if j, _ := json.Marshal(row); !strings.Contains(string(j), `"browser":{"origin":"https://app.example.com","preflight":{`) {
			t.Errorf("the JSON row lacks the browser answers: %s", j)
		}
	}
}

// browserState sums up a row's browser answers as data (views/ renders
// them as the table's cells): per question pass, skip, cors (blocked by
// CORS), error (no answer) or the status read.
func browserState(row *RouteResult) string {
	b := row.Browser
	if b == nil {
		return "none"
	}
	var out []string
	for _, c := range []BrowserCheck{b.Preflight, b.IdentityHeader, b.Readable401} {
		switch {
		case c.Skipped != "":
			out = append(out, "skip")
		case c.Pass:
			out = append(out, "pass")
		case c.Error != "" && c.CORSError == "":
			out = append(out, "error")
		case c.CORSError != "":
			out = append(out, "cors")
		default:
			out = append(out, fmt.Sprint(c.Status))
		}
	}
	return strings.Join(out, " ")
}
