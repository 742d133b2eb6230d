package escape

import "testing"

func TestControl(t *testing.T) {
	for in, want := range map[string]string{
		"plain /items/{id} é ✓": "plain /items/{id} é ✓",
		"a\nb\r\tc":             `a\nb\r\tc`,
		"\x1b[2J\x00\x7f":       `\x1b[2J\x00\x7f`,
		"\u0085\u2028":          `\x85\u2028`,
	} {
		if got := Control(in); got != want {
			t.Errorf("Control(%q) = %q, want %q", in, got, want)
		}
	}
}
