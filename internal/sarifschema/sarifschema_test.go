package sarifschema

import "testing"

func TestValidate(t *testing.T) {
	ok := `{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[]}]}`
	if err := Validate([]byte(ok)); err != nil {
		t.Errorf("a minimal log: %v", err)
	}
	for _, bad := range []string{
		`{"version":"2.0.0","runs":[]}`,
		`{"version":"2.1.0","runs":[{"results":[]}]}`,
		`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"message":{"text":"m"},"level":"fatal"}]}]}`,
		`not json`,
	} {
		if Validate([]byte(bad)) == nil {
			t.Errorf("accepted %s", bad)
		}
	}
}
