package live_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/portcullis-dev/portcullis/apply"
	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/drift"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/live/livetest"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
)

// motoLike answers as moto 5.2.1 does where it departs from the AWS API
// reference (docs/live.md): GetDeployment without the apiSummary that
// embed=apisummary asks for, and GetExport as Swagger 2.0 without security
// or extensions whatever was asked.
func motoLike(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/exports/"):
			w.Header().Set("Content-Type", "application/octet-stream")
			_, _ = w.Write([]byte(`{"swagger":"2.0","info":{"title":"todo"},"paths":{"/todos":{"get":{"responses":{}}}}}`))
		case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/deployments/"):
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			delete(body, "apiSummary")
			b, _ := json.Marshal(body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(b)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// TestUnknownIsNotEmpty: facts a server did not give are unknown, not
// absent. A deployment read without its summary and an export that is not
// OpenAPI 3 with the extensions leave the deployed view unknown; plan
// warns once, naming the operations, and plans no deployment on that
// alone (--redeploy would); drift reports no drift, only the note.
func TestUnknownIsNotEmpty(t *testing.T) {
	env := livetest.New(t, livetest.Options{})
	api := livetest.Load(t, "../examples/todo/todo.hcl")
	p := plan.Make(api, nil, plan.Options{})
	if _, err := apply.Apply(ctx, env.Client, p, apply.Options{}); err != nil {
		t.Fatal(err)
	}
	proxy := httptest.NewServer(motoLike(env.E.Handler()))
	defer proxy.Close()
	c := localClient(t, proxy.URL)

	have := must(live.ReadFor(ctx, c, api, live.ReadOptions{}))(t)
	stage := api.Stages[0].Name
	d := have.Stages[stage].Deployed
	if d == nil || d.Auth != nil || d.Security != nil || d.Pools != nil {
		t.Fatalf("deployed view: %+v, want every fact unknown (nil)", d)
	}
	if len(d.Unknowns) != 2 || !strings.Contains(d.Unknowns[0].Missing, "apiSummary") || !strings.Contains(d.Unknowns[1].Missing, "Swagger 2.0") {
		t.Errorf("unknowns: %v", d.Unknowns)
	}

	again := plan.Make(api, have, plan.Options{})
	if !again.Empty() {
		t.Errorf("plan after apply is not empty: changes %v, deploy %+v", again.Changes, again.Deploy)
	}
	var warned []spec.Diagnostic
	for _, dg := range again.Diagnostics {
		if dg.Code == diff.CodeUnverified {
			warned = append(warned, dg)
		}
	}
	if len(warned) != 1 || warned[0].Severity != spec.SeverityWarning ||
		!strings.Contains(warned[0].Detail, "GetDeployment") || !strings.Contains(warned[0].Detail, "GetExport") || !strings.Contains(warned[0].Detail, "--redeploy") {
		t.Errorf("want one warning naming both operations and --redeploy, got %v", warned)
	}
	forced := plan.Make(api, have, plan.Options{Redeploy: true})
	if forced.Deploy == nil || forced.Deploy.Stage != stage || len(forced.Changes) != 0 {
		t.Errorf("--redeploy: deploy %+v, changes %v", forced.Deploy, forced.Changes)
	}

	ds := drift.Check(api, have, "")
	if drift.Found(ds) {
		var b bytes.Buffer
		for _, dg := range ds {
			b.WriteString(dg.Code + ": " + dg.Detail + "\n")
		}
		t.Errorf("drift on unknowns:\n%s", b.String())
	}
	n := 0
	for _, dg := range ds {
		if dg.Code == drift.CodeUnverified {
			n++
		}
	}
	if n != 1 {
		t.Errorf("drift notes the unverified stage %d times, want once", n)
	}

	// The same server, answering as AWS does: everything known, nothing
	// unverified.
	known := must(live.ReadFor(ctx, env.Client, api, live.ReadOptions{}))(t).Stages[stage].Deployed
	if known.Auth == nil || known.Security == nil || len(known.Unknowns) != 0 {
		t.Errorf("read from the emulator: %+v", known)
	}
}
