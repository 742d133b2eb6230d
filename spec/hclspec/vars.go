package hclspec

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/portcullis-dev/portcullis/spec"
)

// VarValue is one value for a variable: either Raw text (from --var or the
// environment, read as a string for string variables and as an HCL
// expression otherwise, as Terraform does) or an already evaluated Value
// (from a var file).
type VarValue struct {
	Name   string
	Raw    string
	Value  *cty.Value
	Range  hcl.Range
	Origin string
}

// variable is a declared `variable "name"` block.
type variable struct {
	Name         string
	DefaultRange hcl.Range
	Type         cty.Type
	Default      *cty.Value
	DefRange     hcl.Range
	// Sensitive values never appear in a diagnostic (docs/spec.md).
	Sensitive bool
}

// ReadVarFile parses a file of `name = value` lines.
func ReadVarFile(name string, src []byte) ([]VarValue, spec.Diagnostics) {
	if ds := checkLimits(src, name, hcl.InitialPos); ds.HasErrors() {
		return nil, ds
	}
	f, hd := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if hd.HasErrors() {
		return nil, spec.FromHCL("parse-error", hd)
	}
	attrs, hd := f.Body.JustAttributes()
	diags := spec.FromHCL("invalid-var-file", hd)
	var out []VarValue
	for _, a := range sortedAttrs(attrs) {
		v, hd := a.Expr.Value(nil)
		if hd.HasErrors() {
			diags = append(diags, spec.FromHCL("invalid-var-file", hd)...)
			continue
		}
		out = append(out, VarValue{Name: a.Name, Value: &v, Range: a.Expr.Range(), Origin: name})
	}
	return out, diags
}

// resolveVars computes var.* from declarations and values; the last value
// given for a name wins.
func resolveVars(decls map[string]*variable, values []VarValue) (map[string]cty.Value, spec.Diagnostics) {
	var diags spec.Diagnostics
	given := map[string]VarValue{}
	for _, v := range values {
		if _, ok := decls[v.Name]; !ok {
			// Terraform warns rather than fails here: a shared var file
			// may hold values for several descriptions.
			d := spec.Diagnostic{Severity: spec.SeverityWarning, Code: "undeclared-variable",
				Summary: "Value for undeclared variable",
				Detail:  fmt.Sprintf("%s sets %q, but no variable block declares it.", v.Origin, v.Name), Source: "spec"}
			if v.Range.Filename != "" {
				r := v.Range
				d.Range = &r
			}
			diags = append(diags, d)
			continue
		}
		given[v.Name] = v
	}
	out := map[string]cty.Value{}
	for name, decl := range decls {
		v, ok := given[name]
		var val cty.Value
		switch {
		case ok && v.Value != nil:
			val = *v.Value
		case ok:
			if decl.Type == cty.String || decl.Type == cty.DynamicPseudoType {
				val = cty.StringVal(v.Raw)
			} else {
				shown := fmt.Sprintf("%q", v.Raw)
				if decl.Sensitive {
					shown = spec.Redacted
				}
				if ds := checkExprLimits([]byte(v.Raw), v.Origin); ds.HasErrors() {
					diags = append(diags, spec.Errorf("invalid-variable-value", decl.DefRange, "Invalid value for variable",
						"%s: %s", v.Origin, ds[0].Detail))
					continue
				}
				expr, hd := hclsyntax.ParseExpression([]byte(v.Raw), v.Origin, hcl.InitialPos)
				if hd.HasErrors() {
					diags = append(diags, spec.Errorf("invalid-variable-value", decl.DefRange, "Invalid value for variable",
						"%s: %s is not a valid %s: %s", v.Origin, shown, decl.Type.FriendlyName(), hd.Error()))
					continue
				}
				var vd hcl.Diagnostics
				val, vd = expr.Value(nil)
				if vd.HasErrors() {
					diags = append(diags, spec.Errorf("invalid-variable-value", decl.DefRange, "Invalid value for variable",
						"%s: %s", v.Origin, vd.Error()))
					continue
				}
			}
		case decl.Default != nil:
			val = *decl.Default
		default:
			diags = append(diags, spec.Errorf("variable-without-value", decl.DefRange, "No value for required variable",
				"Variable %q has no default. Set it with --var %s=..., a --var-file, or the environment variable PORTCULLIS_VAR_%s.",
				name, name, name))
			continue
		}
		if decl.Type != cty.DynamicPseudoType {
			conv, err := convert.Convert(val, decl.Type)
			if err != nil {
				rng := decl.DefRange
				if !ok && decl.Default != nil {
					rng = decl.DefaultRange
				}
				if ok && v.Range.Filename != "" {
					rng = v.Range
				}
				diags = append(diags, spec.Errorf("invalid-variable-value", rng, "Invalid value for variable",
					"Variable %q must be %s: %s.", name, decl.Type.FriendlyName(), err))
				continue
			}
			val = conv
		}
		out[name] = val
	}
	return out, diags
}
