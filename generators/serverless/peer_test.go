package serverless_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/serverless"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// TestSlsPrintAcceptsEveryOutput runs `sls print` (the output sets
// configValidationMode: error, so a schema problem fails it) on the service
// written for every example, two at a time. `sls package`, which validates
// the same way, runs on the examples and the fixtures in
// generators/equivalence, where its CloudFormation is compared.
func TestSlsPrintAcceptsEveryOutput(t *testing.T) {
	peertest.Long(t)
	sls := &equivalence.Serverless{Dir: filepath.Join(gentest.Root(t), "peers", "serverless")}
	if err := sls.Available(); err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, equivalence.ErrNotInstalled) {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer sls.Close()
	descs := map[string]*spec.Description{}
	for _, ex := range gentest.Examples(t) {
		descs[ex.Path] = ex.Desc
	}
	work := t.TempDir()
	var services []string
	i := 0
	for name, d := range descs {
		files, err := serverless.New().Generate(d, generators.Options{Source: name})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, f := range files {
			p := filepath.Join(work, fmt.Sprint(i), filepath.FromSlash(f.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, f.Content, 0o644); err != nil {
				t.Fatal(err)
			}
			services = append(services, filepath.Dir(p))
		}
		i++
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, dir := range services {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if _, err := sls.Print(context.Background(), dir); err != nil {
				t.Errorf("sls print refused %s: %v", dir, err)
			}
		}()
	}
	wg.Wait()
}

// TestSlsPackageProxyRoutes runs `sls package` on services with HTTP_PROXY
// routes (beside Lambda routes, alone on a new API, alone on an existing
// API) and reads the CloudFormation it compiles: each proxied route is an
// AWS::ApiGatewayV2::Route whose AuthorizerId is the described authorizer
// and whose Target is an HTTP_PROXY integration to the described URI, and
// the only Lambda functions are the described ones (no placeholder).
func TestSlsPackageProxyRoutes(t *testing.T) {
	peertest.Long(t)
	sls := &equivalence.Serverless{Dir: filepath.Join(gentest.Root(t), "peers", "serverless")}
	if err := sls.Available(); err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, equivalence.ErrNotInstalled) {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer sls.Close()
	work := t.TempDir()
	for _, src := range []string{filepath.Join("..", "..", "examples", "http-api", "http-api.hcl"), filepath.Join(fixtures, "http-api-proxies.hcl")} {
		d, ds := load.Load(src, load.Options{})
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		files, err := serverless.New().Generate(d, generators.Options{})
		if err != nil {
			t.Fatal(err)
		}
		paths := serverless.Paths(d)
		for _, a := range d.HTTPAPIs {
			dir := filepath.Join(work, a.Name)
			for _, f := range files {
				if f.Path == paths[a.Name] {
					writeFile(t, filepath.Join(dir, "serverless.yml"), f.Content)
				}
			}
			writeFile(t, filepath.Join(dir, "handlers", "placeholder.js"), []byte("// stands in for the service's code\n"))
			b, err := sls.Package(context.Background(), dir)
			if err != nil {
				t.Fatalf("%s: %v", a.Name, err)
			}
			checkProxyRoutes(t, a, b)
		}
	}
}

func checkProxyRoutes(t *testing.T, a *spec.HTTPAPI, template []byte) {
	t.Helper()
	type resource struct {
		Type       string
		Properties map[string]any
	}
	var tpl struct{ Resources map[string]resource }
	if err := json.Unmarshal(template, &tpl); err != nil {
		t.Fatal(err)
	}
	ref := func(v any) resource {
		m, _ := v.(map[string]any)
		id, _ := m["Ref"].(string)
		return tpl.Resources[id]
	}
	routes := map[string]resource{}
	var lambdas []string
	for id, r := range tpl.Resources {
		switch r.Type {
		case "AWS::ApiGatewayV2::Route":
			routes[fmt.Sprint(r.Properties["RouteKey"])] = r
		case "AWS::Lambda::Function":
			lambdas = append(lambdas, id)
		}
	}
	want := map[string]bool{}
	for _, r := range a.Routes {
		if in := r.Integration; in != nil && in.Type == spec.IntegrationAWSProxy {
			want[generators.LambdaName(in.URI)] = true
		}
	}
	if len(lambdas) != len(want) {
		t.Errorf("%s: Lambda functions %v, want one per described Lambda %v", a.Name, lambdas, want)
	}
	proxied := 0
	for _, r := range a.Routes {
		if r.Integration == nil || r.Integration.Type != spec.IntegrationHTTPProxy {
			continue
		}
		proxied++
		got, ok := routes[r.Key]
		if !ok {
			t.Errorf("%s: no route %s in the compiled template", a.Name, r.Key)
			continue
		}
		if got.Properties["AuthorizationType"] != r.AuthType {
			t.Errorf("%s %s: AuthorizationType %v, want %s", a.Name, r.Key, got.Properties["AuthorizationType"], r.AuthType)
		}
		if az := ref(got.Properties["AuthorizerId"]); r.AuthType == spec.AuthJWT && (az.Type != "AWS::ApiGatewayV2::Authorizer" || az.Properties["Name"] != r.Authorizer) {
			t.Errorf("%s %s: AuthorizerId %v is %+v, want authorizer %q", a.Name, r.Key, got.Properties["AuthorizerId"], az, r.Authorizer)
		}
		join, _ := got.Properties["Target"].(map[string]any)["Fn::Join"].([]any)
		var in resource
		if len(join) == 2 {
			if parts, _ := join[1].([]any); len(parts) == 2 && parts[0] == "integrations" {
				in = ref(parts[1])
			}
		}
		if in.Properties["IntegrationType"] != spec.IntegrationHTTPProxy || in.Properties["IntegrationUri"] != r.Integration.URI || in.Properties["PayloadFormatVersion"] != spec.PayloadFormat10 {
			t.Errorf("%s %s: target %v is %+v, want an HTTP_PROXY integration to %s", a.Name, r.Key, got.Properties["Target"], in, r.Integration.URI)
		}
	}
	if proxied == 0 {
		t.Errorf("%s has no HTTP_PROXY route to check", a.Name)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
