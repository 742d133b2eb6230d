package cdk

import (
	"encoding/json"
	"testing"
)

// TestQuoteIsJSON: the quick path of q writes what the JSON encoder writes.
func TestQuoteIsJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "a b/c:{d}", `quo"te`, `back\slash`, "tab\t", "nl\n", "<&>", "é", "\u2028", "\x7f", "~"} {
		want, _ := json.Marshal(s)
		if s == "<&>" {
			want = []byte(`"<&>"`) // q does not escape HTML
		}
		if got := q(s); got != string(want) {
			t.Errorf("q(%q) = %s, want %s", s, got, want)
		}
	}
}
