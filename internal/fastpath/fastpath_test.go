package fastpath

import (
	"maps"
	"testing"
)

func TestParse(t *testing.T) {
	all := map[Name]bool{YAMLReader: true, OpenAPIPaths: true, YAMLWriter: true, HCLWriter: true, SignatureCache: true}
	for v, want := range map[string]map[Name]bool{
		"":                          {},
		"0":                         {},
		"1":                         all,
		"all":                       all,
		"yes":                       all,
		"yaml-writer":               {YAMLWriter: true},
		" hcl-writer , yaml-reader": {HCLWriter: true, YAMLReader: true},
		"hcl-writer,typo":           all,
	} {
		if got := parse(v); !maps.Equal(got, want) {
			t.Errorf("parse(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestSetRestores(t *testing.T) {
	was, other := On(HCLWriter), On(YAMLWriter)
	restore := Set(HCLWriter, !was)
	if On(HCLWriter) == was {
		t.Fatal("Set did not switch")
	}
	if On(YAMLWriter) != other {
		t.Fatal("Set switched another path")
	}
	restore()
	if On(HCLWriter) != was {
		t.Fatal("restore did not restore")
	}
}
