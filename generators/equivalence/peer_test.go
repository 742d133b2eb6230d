package equivalence_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/internal/gentest"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/internal/peertest"
	"github.com/portcullis-dev/portcullis/spec/load"
)

// peer returns the folder of a pinned peer tool. A missing tool fails the
// test under CI and skips it elsewhere.
func peer(t *testing.T, name string, available func(dir string) error) string {
	t.Helper()
	peertest.Long(t)
	dir := filepath.Join(gentest.Root(t), "peers", name)
	if err := available(dir); err != nil {
		if os.Getenv("CI") != "" || !errors.Is(err, equivalence.ErrNotInstalled) {
			t.Fatalf("peer %s: %v", name, err)
		}
		t.Skipf("peer %s: %v", name, err)
	}
	return dir
}

// TestPeersAgree is the whole proof: for every example and fixture, sls
// package's CloudFormation and the CDK's synthesized template say the same
// about auth as the description, as do the outputs read without a tool.
func TestPeersAgree(t *testing.T) {
	sls := &equivalence.Serverless{Dir: peer(t, "serverless", func(d string) error { return (&equivalence.Serverless{Dir: d}).Available() })}
	defer sls.Close()
	cdk := &equivalence.CDK{Dir: peer(t, "cdk", func(d string) error { return (&equivalence.CDK{Dir: d}).Available() })}
	start := time.Now()
	reports := equivalence.Check(context.Background(), inputs(t), equivalence.Options{Serverless: sls, CDK: cdk, WorkDir: t.TempDir()})
	t.Logf("checked %d descriptions with sls package and cdk synth in %s", len(reports), time.Since(start).Round(time.Millisecond))
	for _, r := range reports {
		for _, o := range r.Outputs {
			if o.Skipped != "" && !(o.Name == "swagger" && strings.Contains(o.Skipped, "OpenAPI 3.0 only")) {
				t.Errorf("%s: %s skipped: %s", r.Input, o.Name, o.Skipped)
			}
		}
		if !r.OK {
			t.Errorf("%s", text(r))
		}
	}
}

// TestRedoclyLintsOpenAPI lints the OpenAPI (YAML and JSON) and Swagger
// output of every example and fixture in one Redocly run: no errors.
func TestRedoclyLintsOpenAPI(t *testing.T) {
	dir := peer(t, "redocly", func(d string) error { return (&equivalence.Redocly{Dir: d}).Available() })
	out := t.TempDir()
	var files []string
	for i, in := range inputs(t) {
		for _, tf := range []struct{ target, format string }{{"openapi", "yaml"}, {"openapi", "json"}, {"swagger", "yaml"}} {
			g, _ := registry.Lookup(tf.target)
			fs, err := g.Generate(in.Desc, generators.Options{Source: in.Name, Format: tf.format})
			var unsupported *generators.UnsupportedError
			if errors.As(err, &unsupported) {
				continue // Swagger for an HTTP API
			}
			if err != nil {
				t.Fatalf("%s %s: %v", in.Name, tf.target, err)
			}
			for _, f := range fs {
				p := filepath.Join(out, strings.ReplaceAll(in.Name, "/", "_")+"-"+string(rune('a'+i)), tf.target, f.Path)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.Content, 0o644); err != nil {
					t.Fatal(err)
				}
				files = append(files, p)
			}
		}
	}
	start := time.Now()
	problems, err := (&equivalence.Redocly{Dir: dir}).Lint(context.Background(), filepath.Join(dir, "redocly.yaml"), files...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("redocly linted %d documents in %s", len(files), time.Since(start).Round(time.Millisecond))
	for _, p := range problems {
		if p.Severity == "error" {
			t.Errorf("%s", p)
		}
	}
}

// TestCDKAddsToExistingHTTPAPI synthesizes the CDK app for an HTTP API
// with an api_id: the stack creates no API and no stage, and every route,
// integration, authorizer and deployment it creates belongs to the existing
// one; the deployment points the existing stage "live" at itself and stays
// when the stack goes (the stage keeps pointing at it).
// (TestPeersAgree proves the same template's auth surface.)
func TestCDKAddsToExistingHTTPAPI(t *testing.T) {
	dir := peer(t, "cdk", func(d string) error { return (&equivalence.CDK{Dir: d}).Available() })
	d, ds := load.Load(filepath.Join("testdata", "descriptions", "http-api-proxies.hcl"), load.Options{})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	g, _ := registry.Lookup("cdk")
	files, err := g.Generate(d, generators.Options{})
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	app := filepath.Join(work, "app")
	for _, f := range files {
		p := filepath.Join(app, f.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	templates, errs, err := (&equivalence.CDK{Dir: dir}).SynthAll(context.Background(), work, []string{app})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	var tpl struct {
		Resources map[string]struct {
			Type           string
			DeletionPolicy string
			Properties     map[string]any
		}
	}
	if err := json.Unmarshal(templates[0]["LegacyApiStack"], &tpl); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for id, r := range tpl.Resources {
		if !strings.HasPrefix(r.Type, "AWS::ApiGatewayV2::") {
			continue
		}
		kinds[strings.TrimPrefix(r.Type, "AWS::ApiGatewayV2::")]++
		if r.Type == "AWS::ApiGatewayV2::Deployment" && (r.Properties["StageName"] != "live" || r.DeletionPolicy != "Retain") {
			t.Errorf("%s: StageName %v, DeletionPolicy %q; want the existing stage live, Retain", id, r.Properties["StageName"], r.DeletionPolicy)
		}
		if r.Type == "AWS::ApiGatewayV2::Api" || r.Type == "AWS::ApiGatewayV2::Stage" {
			t.Errorf("%s: the stack creates a %s instead of adding to a1b2c3d4e5", id, r.Type)
		} else if r.Properties["ApiId"] != "a1b2c3d4e5" {
			t.Errorf("%s (%s): ApiId %v, want the existing a1b2c3d4e5", id, r.Type, r.Properties["ApiId"])
		}
	}
	if want := map[string]int{"Authorizer": 2, "Integration": 4, "Route": 4, "Deployment": 1}; fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Errorf("resources %v, want %v", kinds, want)
	}
}
