package fastyaml

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ResolvesToString reports whether s, written as a plain scalar, reads back
// as a string in yaml/v4; a writer must quote it otherwise ("true", "300",
// "1e3", "null", "~", "", "<<").
func ResolvesToString(s string) bool {
	tag, ok := resolveTag(s)
	return ok && tag == StrTag
}

// resolveTag is the tag yaml/v4 resolves for a plain scalar. It follows
// go.yaml.in/yaml/v4 internal/libyaml/resolver.go (resolve with an empty
// tag) step for step, calling the same strconv, regexp and time functions,
// because a tag that differs in one corner (an int that overflows into a
// uint, "1e3", "-0", a date) would silently change what downstream readers
// see. ok is false for "<<", the merge key, whose meaning depends on
// yaml/v4's merge handling: such documents fall back.
func resolveTag(in string) (tag Tag, ok bool) {
	if in == "" {
		return NullTag, true
	}
	hint := resolveHint[in[0]]
	if hint == 0 {
		return StrTag, true
	}
	switch in {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return BoolTag, true
	case "~", "null", "Null", "NULL":
		return NullTag, true
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
		"-.inf", "-.Inf", "-.INF", "-0", "-0.0":
		return FloatTag, true
	case "<<":
		return 0, false
	}
	switch hint {
	case '.':
		if _, err := strconv.ParseFloat(in, 64); err == nil {
			return FloatTag, true
		}
	case 'D', 'S':
		if isTimestamp(in) {
			return TimestampTag, true
		}
		plain := strings.ReplaceAll(in, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return IntTag, true
		}
		if _, err := strconv.ParseUint(strings.TrimPrefix(plain, "+"), 0, 64); err == nil {
			return IntTag, true
		}
		if yamlStyleFloat.MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return FloatTag, true
			}
		}
	}
	return StrTag, true
}

// resolveHint classifies a plain scalar by its first byte as yaml/v4's
// resolveTable does: 'D' digit, 'S' sign, '.' dot, 'M' may be in the table
// of exact values, 0 always a string.
var resolveHint = func() (t [256]byte) {
	t['+'], t['-'] = 'S', 'S'
	for c := '0'; c <= '9'; c++ {
		t[c] = 'D'
	}
	for _, c := range "yYnNtTfFoO~<" {
		t[c] = 'M'
	}
	t['.'] = '.'
	return t
}()

// yamlStyleFloat is yaml/v4's pattern for floats.
var yamlStyleFloat = regexp.MustCompile(`^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$`)

// timestampFormats are yaml/v4's allowedTimestampFormats.
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isTimestamp reports whether yaml/v4's parseTimestamp accepts s.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range timestampFormats {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}
