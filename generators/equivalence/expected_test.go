package equivalence

import (
	"strings"
	"testing"
)

// A generator's declared reason makes a missing CORS configuration
// expected, never a wrong one, and nothing else.
func TestCompareAPIExpectedCORS(t *testing.T) {
	want := Surface{CORS: &CORS{AllowOrigins: []string{"https://a.example.com"}}}
	const reason = "CORS of an existing HTTP API is not in the terraform output"

	r := compareAPI("x", want, Surface{}, nil, "x.tf", reason)
	if len(r.Differences) != 0 || len(r.Expected) != 1 || !strings.Contains(r.Expected[0], reason) {
		t.Errorf("missing CORS with a reason: %+v", r)
	}
	r = compareAPI("x", want, Surface{}, nil, "x.tf", "")
	if len(r.Differences) != 1 || len(r.Expected) != 0 {
		t.Errorf("missing CORS without a reason must differ: %+v", r)
	}
	wrong := Surface{CORS: &CORS{AllowOrigins: []string{"*"}}}
	r = compareAPI("x", want, wrong, nil, "x.tf", reason)
	if len(r.Differences) != 1 || len(r.Expected) != 0 {
		t.Errorf("a wrong CORS must differ whatever the reason: %+v", r)
	}
}
