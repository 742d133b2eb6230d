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
