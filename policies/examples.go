package policies

import (
	"embed"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
)

// examples holds examples/ID/{good,bad}*.{hcl,yaml,json}: the files the
// shared tests run, `rules show` prints and the docs include.
//
//go:embed examples
var examples embed.FS

// Example is one good or bad description of a rule.
type Example struct {
	// Path is relative to the policies package: examples/PCA001/bad.hcl.
	Path string
	Good bool
	// Language is "hcl" or "openapi".
	Language string
	Text     string
}

// Markers in example files. EXPECT lists the rule IDs whose findings land
// on that line; OPTION sets a --rule-option for the example's run.
var (
	expectRe = regexp.MustCompile(`#\s*EXPECT:\s*([A-Za-z0-9_, -]+)`)
	optionRe = regexp.MustCompile(`#\s*OPTION:\s*(\S+)`)
)

// Examples returns the rule's examples: HCL before OpenAPI, good before bad.
func (r *Rule) Examples() []Example {
	dir := path.Join("examples", r.ID)
	entries, err := fs.ReadDir(examples, dir)
	if err != nil {
		return nil
	}
	var out []Example
	for _, e := range entries {
		name := e.Name()
		lang := "openapi"
		switch path.Ext(name) {
		case ".hcl":
			lang = "hcl"
		case ".yaml", ".yml", ".json":
		default:
			continue
		}
		b, err := fs.ReadFile(examples, path.Join(dir, name))
		if err != nil {
			continue
		}
		out = append(out, Example{Path: path.Join(dir, name), Good: strings.HasPrefix(name, "good"), Language: lang, Text: string(b)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Language != b.Language {
			return a.Language == "hcl"
		}
		if a.Good != b.Good {
			return a.Good
		}
		return a.Path < b.Path
	})
	return out
}

// Expectations returns line -> rule IDs marked with EXPECT.
func (e Example) Expectations() map[int][]string {
	out := map[int][]string{}
	for i, line := range strings.Split(e.Text, "\n") {
		m := expectRe.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		out[i+1] = append(out[i+1], strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' })...)
	}
	return out
}

// RuleOptions returns the OPTION markers (ID.name=value).
func (e Example) RuleOptions() []string {
	var out []string
	for _, m := range optionRe.FindAllStringSubmatch(e.Text, -1) {
		out = append(out, m[1])
	}
	return out
}
