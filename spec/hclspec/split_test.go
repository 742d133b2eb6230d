package hclspec

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-dev/portcullis/internal/synth"
)

// sameAsSingleParse fails the test unless the split parse of src built
// exactly the body hclsyntax builds in one pass.
func sameAsSingleParse(t *testing.T, src []byte, n int) bool {
	t.Helper()
	got, ok := parseSplit(src, "f.hcl", n, 2)
	if !ok {
		return false
	}
	want, diags := hclsyntax.ParseConfig(src, "f.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("split parse succeeded where the single parse fails: %s\n%s", diags, src)
	}
	if !reflect.DeepEqual(got.Body, want.Body) || string(got.Bytes) != string(src) {
		t.Fatalf("split parse differs from the single parse (-split +single):\n%s",
			cmp.Diff(got.Body, want.Body, cmp.Exporter(func(reflect.Type) bool { return true })))
	}
	return true
}

var splitCases = map[string]string{
	"routes": `api "a" {
  region = "us-east-1"
  route "GET /a" {
    scopes = ["x/read"]
  }
  route "GET /b" { public = true }
  route "GET /c" {
    reason = "c"
  }
  stage "prod" {
    variables = { a = "b" }
  }
}
`,
	"before and after": `variable "x" {
  default = "y"
}
api "a" {
  route "GET /a" {
    reason = var.x
  }
  route "GET /b" {
    reason = "b"
  }
  route "GET /c" {
    reason = "c"
  }
}
variable "z" {}
`,
	"strings and comments that look like structure": `api "a" {
  # route "GET /x" { } {
  // }
  /* {
route "GET /y" {
  */
  description = "} { \" ${ "{" } $${ %%{ ]"
  route "GET /a" {
    reason = <<EOT
  }
route "GET /z" {
  ${ "}" }
EOT
  }
  route "GET /b" {
    reason = <<-EOT
    {
    EOT
  }
  route "GET /c" {
    reason = "%{ if true }{%{ endif }"
  }
}
`,
	"object attribute at top level": `x = {
  a = 1
  b = 2
  c = 3
  d = 4
}
`,
	"unicode before the closing brace": `api "ü" {
  route "GET /a" { reason = "é" }
  route "GET /b" { reason = "b" }
  route "GET /c" { reason = "c" }
  route "GET /d" { reason = "d" }
}   # 🙂
`,
	"no trailing newline": "api \"a\" {\n  route \"GET /a\" {}\n  route \"GET /b\" {}\n  route \"GET /c\" {}\n}",
	"crlf":                "api \"a\" {\r\n  route \"GET /a\" {\r\n  }\r\n  route \"GET /b\" {\r\n  }\r\n  route \"GET /c\" {\r\n  }\r\n}\r\n",
}

func TestSplitParseMatchesSingleParse(t *testing.T) {
	for name, src := range splitCases {
		t.Run(name, func(t *testing.T) {
			for n := 2; n <= 4; n++ {
				// An object attribute is not a block body: never cut.
				if cut := sameAsSingleParse(t, []byte(src), n); cut != (name != "object attribute at top level") {
					t.Errorf("%d pieces: cut = %v", n, cut)
				}
			}
		})
	}
	// The large, ordinary case must really be cut.
	for _, routes := range []int{10, 500, 1500} {
		src := synth.HCL(routes, 10)
		n := 2 + routes%3 // 3, 2 and 2 pieces
		if routes == 1500 {
			n = 7
		}
		if !sameAsSingleParse(t, src, n) {
			t.Fatalf("%d routes, %d pieces: not cut", routes, n)
		}
	}
	files, _ := filepath.Glob("../../examples/*/*.hcl")
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !sameAsSingleParse(t, src, 2) {
			t.Errorf("%s: not cut", p)
		}
	}
}

// A duplicate attribute spread over two pieces is the single parse's error
// to report, so the split parse must give up.
func TestSplitParseRefusesWhatTheSingleParseRejects(t *testing.T) {
	for _, src := range []string{
		"api \"a\" {\n  region = \"x\"\n  route \"GET /a\" {}\n  route \"GET /b\" {}\n  region = \"y\"\n}\n",
		"api \"a\" {\n  route \"GET /a\" {}\n  route \"GET /b\" {\n}\n",
		"api \"a\" {\n  route \"GET /a\" {}\n  route \"GET /b\" {}\n} x\n",
		"api \"a\" {\n  route \"GET /a\" {}\n  route \"GET /b\" {\n    reason = \"x\n  }\n}\n",
	} {
		if _, ok := parseSplit([]byte(src), "f.hcl", 3, 2); ok {
			t.Errorf("split parse accepted:\n%s", src)
		}
	}
}

// Through Read, a big description goes the split way and decodes the same.
func TestReadLargeSplit(t *testing.T) {
	defer func(n int) { splitMinBytes = n }(splitMinBytes)
	src := synth.HCL(600, 10)
	splitMinBytes = 1 << 40
	single, d1 := Read(map[string][]byte{"f.hcl": src}, nil)
	splitMinBytes = 1
	split, d2 := Read(map[string][]byte{"f.hcl": src}, nil)
	if d1.HasErrors() || d2.HasErrors() {
		t.Fatalf("errors: %v %v", d1, d2)
	}
	if diff := cmp.Diff(single.APIs, split.APIs); diff != "" {
		t.Fatalf("(-single +split):\n%s", diff)
	}
	if len(split.APIs[0].Routes) != 600 {
		t.Fatalf("%d routes", len(split.APIs[0].Routes))
	}
}

// FuzzSplitParse: whenever the split parse accepts an input, the single
// parse accepts it too and builds the same body.
func FuzzSplitParse(f *testing.F) {
	for _, src := range splitCases {
		f.Add([]byte(src), uint8(2))
	}
	files, _ := filepath.Glob("../../examples/*/*.hcl")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, uint8(3))
		}
	}
	f.Add([]byte(strings.Repeat("api \"a\" {\n  route \"GET /a\" {}\n}\n", 3)), uint8(2))
	f.Fuzz(func(t *testing.T, src []byte, n uint8) {
		sameAsSingleParse(t, src, 2+int(n%4))
	})
}
