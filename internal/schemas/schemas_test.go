package schemas

import "testing"

func TestSARIF(t *testing.T) {
	ok := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}`
	if err := SARIF([]byte(ok)); err != nil {
		t.Errorf("a minimal log: %v", err)
	}
	for _, bad := range []string{
		`{"version":"2.0.0","runs":[]}`,
		`{"version":"2.1.0","runs":[{"results":[]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`,
		`not json`,
	} {
		if SARIF([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestAuditReport(t *testing.T) {
	ok := `{"format_version":"1.0","tool":{"name":"portcullis","version":"dev"},"generated_at":"2026-12-06T04:00:00Z",
	"summary":{"regions":[{"region":"us-east-1","apis":0}],"apis":0,"apis_unreadable":0,"apis_without_description":0,"stages":0,"methods":0,
	"methods_open":0,"methods_open_accepted":0,"findings":{"error":0,"warning":0,"info":0},"findings_suppressed":0,"probed":false},"apis":[]}`
	if err := AuditReport([]byte(ok)); err != nil {
		t.Errorf("an empty report: %v", err)
	}
	if AuditReport([]byte(`{"format_version":"2.0"}`)) == nil {
		t.Error("accepted another major version without its fields")
	}
}

func TestPlan(t *testing.T) {
	const common = `"format_version":"2.0","api":"a","api_id":"","target":"local /x","stage":"prod","live_fingerprint":"absent","summary":{"add":1,"change":0,"destroy":0}`
	for _, ok := range []string{
		`{` + common + `,"api_type":"rest","changes":[{"action":"create","kind":"authorizer","address":"authorizer.c","fields":[],"authorizer":{"name":"c"}}],"deploy":null,"resource_ids":{},"authorizer_ids":{}}`,
		`{` + common + `,"api_type":"http","changes":[{"action":"create","kind":"route","address":"route.GET /","fields":[],"key":"GET /"}],"auto_deploy":true,"prune":false}`,
	} {
		if err := Plan([]byte(ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{
		`{` + common + `,"api_type":"soap","changes":[]}`,
		// a REST change in an HTTP plan, a field neither kind has, no fields list
		`{` + common + `,"api_type":"http","changes":[{"action":"create","kind":"method","address":"method.GET /","fields":[]}],"auto_deploy":true,"prune":false}`,
		`{` + common + `,"api_type":"http","changes":[],"auto_deploy":true,"prune":false,"deploy":null}`,
		`{` + common + `,"api_type":"rest","changes":[{"action":"create","kind":"api","address":"api.a"}],"deploy":null,"resource_ids":{},"authorizer_ids":{}}`,
		// format 1.x
		`{"format_version":"1.0","http_plan":{}}`,
	} {
		if Plan([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}

func TestProbe(t *testing.T) {
	const env = `"format_version":"2.0","valid":true,"error_count":0,"warning_count":0,"info_count":0,"suppressed_count":0,"diagnostics":[],"base_url":"http://x","requests":1`
	const route = `"routes":[{"route":"GET /a","url":"http://x/a","public":false,"scopes":[],"verdict":"protected"}]`
	const common = `"route":"GET /a","method":"GET","path":"/a","status":401,"class":"unauthorized","verdict":"pass","code":"","cors":false,"detail":""`
	for _, ok := range []string{
		`{` + env + `,"api_type":"rest",` + route + `,"checks":[{` + common + `,"case":"no-token","expected":"refuse","attempts":1}]}`,
		`{` + env + `,"api_type":"http",` + route + `,"checks":[{` + common + `,"case":"scope-missing","expected":"forbid","want":"403"}]}`,
	} {
		if err := Probe([]byte(ok)); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{
		// format 1.x: the REST matrix, the HTTP cases
		`{"format_version":"1.0","valid":true,"error_count":0,"warning_count":0,"info_count":0,"suppressed_count":0,"diagnostics":[],"api_type":"rest","matrix":{}}`,
		`{` + env + `,"api_type":"http",` + route + `,"cases":[]}`,
		// a check without the common verdict, an HTTP case in a REST result, a REST extra in an HTTP one
		`{` + env + `,"api_type":"rest",` + route + `,"checks":[{"route":"GET /a","method":"GET","path":"/a","status":401,"class":"unauthorized","code":"","cors":false,"detail":"","case":"no-token","expected":"refuse"}]}`,
		`{` + env + `,"api_type":"rest",` + route + `,"checks":[{` + common + `,"case":"scope-missing","expected":"forbid"}]}`,
		`{` + env + `,"api_type":"http",` + route + `,"checks":[{` + common + `,"case":"no-token","expected":"refuse","want":"401","attempts":1}]}`,
	} {
		if Probe([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
