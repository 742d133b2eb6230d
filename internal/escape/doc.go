// Package escape makes text from untrusted input safe to print on one
// line of a terminal or a log: control characters (C0, DEL, C1, and the
// Unicode line and paragraph separators) become visible escapes, so a
// value can neither start a forged line nor send a terminal escape
// sequence. Everything else, other UTF-8 included, is kept.
package escape
