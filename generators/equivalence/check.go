package equivalence

import (
	"context"
	"errors"
	"fmt"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/generators/serverless"
	"github.com/portcullis-dev/portcullis/spec"
)

// Input is one description to check.
type Input struct {
	Name string // how reports name it ("examples/todo")
	Desc *spec.Description
}

// Options tune a check.
type Options struct {
	// Stage is passed to every generator ("" = the first stage described).
	Stage string
	// Serverless runs `sls package` on the serverless output; nil skips it.
	Serverless *Serverless
	// CDK compiles and synthesizes the cdk output; nil skips it.
	CDK *CDK
	// WorkDir holds the peers' scratch folders ("" = a temporary folder).
	WorkDir string
	// Progress, when set, hears of each output as the check goes: with
	// nil before an output that runs an external tool (sls package, cdk
	// synth, which take a while), then with the outcome once the output is
	// checked (skipped ones included). Calls come one at a time from
	// Check's goroutine; an input has Outputs() outputs.
	Progress func(input, output string, done *Output)
	// Lookup finds a target's generator (nil: the registry's); tests pass
	// one whose output disagrees with the description.
	Lookup func(target string) (generators.Generator, bool)
}

// lookup finds a generator through o.Lookup or the registry.
func (o Options) lookup(target string) (generators.Generator, bool) {
	if o.Lookup != nil {
		return o.Lookup(target)
	}
	return registry.Lookup(target)
}

// progress reports an output to o.Progress, if any.
func (o Options) progress(input, output string, done *Output) {
	if o.Progress != nil {
		o.Progress(input, output, done)
	}
}

// Outputs is how many outputs a report holds per input: every reader's,
// then the Serverless and CDK tools' (checked or skipped).
func Outputs() int { return len(readers) + 2 }

// Report is the outcome of checking one description.
type Report struct {
	Input   string   `json:"input"`
	OK      bool     `json:"ok"`
	Outputs []Output `json:"outputs"`
}

// Output is one generated output read back (or skipped).
type Output struct {
	// Name names the output and how it was read: "cloudformation",
	// "sam", ..., "serverless (sls package)", "cdk (synth)".
	Name string `json:"name"`
	// Skipped says why the output was not checked ("" = it was).
	Skipped string `json:"skipped,omitempty"`
	// Err is set when the output could not be generated, run or read.
	Err  string      `json:"error,omitempty"`
	APIs []APIResult `json:"apis"`
}

// APIResult compares one API of an output with the model.
type APIResult struct {
	API         string   `json:"api"`
	Methods     int      `json:"methods"`    // the description's methods found
	Preflights  int      `json:"preflights"` // unauthenticated OPTIONS methods added for CORS
	Responses   int      `json:"gateway_responses"`
	Differences []string `json:"differences"`
	// Expected are differences the generator declared it cannot avoid (a
	// warning on its file, generators.CodeExistingAPICORS), each with that
	// reason. They do not count against the check.
	Expected []string `json:"expected,omitempty"`
}

// Passed reports whether every checked output matched the model. Skipped
// outputs do not count against it.
func (r *Report) Passed() bool {
	for _, o := range r.Outputs {
		if o.Err != "" {
			return false
		}
		for _, a := range o.APIs {
			if len(a.Differences) > 0 {
				return false
			}
		}
	}
	return true
}

// reader reads one target's file for one API.
type reader struct {
	output string // the Output name
	target string // registry name
	format string
	suffix string // file name after "<api>."
	read   func(name string, b []byte) (Surface, error)
	// file names the API's file when it is not "<api>.<suffix>".
	file func(d *spec.Description, api string) string
}

func readCFN(_ string, b []byte) (Surface, error) { return FromCloudFormation(b) }
func readSAM(_ string, b []byte) (Surface, error) { return FromSAM(b) }
func readOAS(_ string, b []byte) (Surface, error) { return FromOpenAPI(b) }
func readSLS(_ string, b []byte) (Surface, error) { return FromServerless(b) }

// readers are the outputs that need no external tool.
var readers = []reader{
	{"cloudformation", "cloudformation", "yaml", "cloudformation.yaml", readCFN, nil},
	{"cloudformation (json)", "cloudformation", "json", "cloudformation.json", readCFN, nil},
	{"sam", "sam", "yaml", "sam.yaml", readSAM, nil},
	{"openapi", "openapi", "yaml", "openapi.yaml", readOAS, nil},
	{"openapi (json)", "openapi", "json", "openapi.json", readOAS, nil},
	{"swagger", "swagger", "yaml", "swagger.yaml", readOAS, nil},
	{"terraform", "terraform", "", "tf", FromTerraform, nil},
	{"serverless (as written)", "serverless", "", "", readSLS, func(d *spec.Description, api string) string { return serverless.Paths(d)[api] }},
}

// Check checks every input: every output that needs no external tool
// always, and the Serverless and CDK outputs through their tools when
// opts names them. The tools run once per input at most (the CDK once for
// all inputs together), Serverless two at a time.
func Check(ctx context.Context, inputs []Input, opts Options) []*Report {
	reports := make([]*Report, len(inputs))
	models := make([]map[string]Surface, len(inputs))
	for i, in := range inputs {
		reports[i] = &Report{Input: in.Name}
		models[i] = map[string]Surface{}
		for _, a := range in.Desc.APIs {
			models[i][a.Name] = FromModel(a)
		}
		for _, a := range in.Desc.HTTPAPIs {
			models[i][a.Name] = FromHTTPModel(a)
		}
		gopts := generators.Options{Source: in.Name, Stage: opts.Stage}
		for _, rd := range readers {
			out := checkFiles(in.Desc, models[i], rd, gopts, opts)
			reports[i].Outputs = append(reports[i].Outputs, out)
			opts.progress(in.Name, out.Name, &out)
		}
	}

	slsOut := make([]Output, len(inputs))
	cdkOut := make([]Output, len(inputs))
	if opts.Serverless == nil {
		for i := range inputs {
			slsOut[i] = Output{Name: slsName, Skipped: "no Serverless Framework given (--serverless DIR)"}
		}
	} else {
		for _, in := range inputs {
			opts.progress(in.Name, slsName, nil)
		}
		checkServerless(ctx, inputs, models, opts, slsOut)
	}
	for i, in := range inputs {
		opts.progress(in.Name, slsName, &slsOut[i])
	}
	if opts.CDK == nil {
		for i := range inputs {
			cdkOut[i] = Output{Name: cdkName, Skipped: "no CDK given (--cdk DIR)"}
		}
	} else {
		for _, in := range inputs {
			opts.progress(in.Name, cdkName, nil)
		}
		checkCDK(ctx, inputs, models, opts, cdkOut)
	}
	for i, in := range inputs {
		opts.progress(in.Name, cdkName, &cdkOut[i])
	}
	for i, r := range reports {
		r.Outputs = append(r.Outputs, slsOut[i], cdkOut[i])
		for j := range r.Outputs {
			if r.Outputs[j].APIs == nil {
				r.Outputs[j].APIs = []APIResult{}
			}
			for k := range r.Outputs[j].APIs {
				if r.Outputs[j].APIs[k].Differences == nil {
					r.Outputs[j].APIs[k].Differences = []string{}
				}
			}
		}
		r.OK = r.Passed()
	}
	return reports
}

// checkFiles generates one target in one format and compares the file of
// each API with the model.
func checkFiles(d *spec.Description, models map[string]Surface, rd reader, gopts generators.Options, opts Options) Output {
	out := Output{Name: rd.output}
	g, ok := opts.lookup(rd.target)
	if !ok {
		out.Err = "no generator " + rd.target + " in the registry"
		return out
	}
	gopts.Format = rd.format
	files, err := g.Generate(d, gopts)
	var unsupported *generators.UnsupportedError
	if errors.As(err, &unsupported) {
		out.Skipped = err.Error()
		return out
	}
	if err != nil {
		out.Err = err.Error()
		return out
	}
	byName := map[string]generators.File{}
	for _, f := range files {
		byName[f.Path] = f
	}
	reasons := declared(d, files)
	for _, api := range apiNames(d) {
		name := generators.FileName(api) + "." + rd.suffix
		if rd.file != nil {
			name = rd.file(d, api)
		}
		f, ok := byName[name]
		if !ok {
			out.APIs = append(out.APIs, APIResult{API: api, Differences: []string{"no file " + name + " among the outputs"}})
			continue
		}
		got, err := rd.read(f.Path, f.Content)
		out.APIs = append(out.APIs, compareAPI(api, models[api], got, err, f.Path, reasons[api]))
	}
	return out
}

// apiNames are the names of every API in d, REST APIs first.
func apiNames(d *spec.Description) []string {
	var out []string
	for _, a := range d.APIs {
		out = append(out, a.Name)
	}
	for _, a := range d.HTTPAPIs {
		out = append(out, a.Name)
	}
	return out
}

// declared maps each API's name to what its generator said it cannot set
// (the summary of its CodeExistingAPICORS warning).
func declared(d *spec.Description, files []generators.File) map[string]string {
	var ds spec.Diagnostics
	for _, f := range files {
		ds = append(ds, f.Warnings...)
	}
	return generators.ExistingAPICORSReasons(d, ds)
}

// compareAPI compares one API's surface with the model's. corsReason,
// when set, is why the output leaves the API's CORS alone: a missing
// CORS configuration is then expected (a wrong one is still a difference).
func compareAPI(api string, want, got Surface, err error, file, corsReason string) APIResult {
	r := APIResult{API: api, Responses: len(got.GatewayResponses)}
	if err != nil {
		r.Differences = []string{fmt.Sprintf("%s does not read back: %v", file, err)}
		return r
	}
	if corsReason != "" && got.CORS == nil && want.CORS != nil {
		r.Expected = append(r.Expected, fmt.Sprintf("CORS none, want %s: %s (portcullis apply sets it)", want.CORS, corsReason))
		got.CORS = want.CORS
	}
	r.Differences = Compare(want, got)
	known := map[string]bool{}
	for _, m := range want.Methods {
		known[m.Key()] = true
	}
	for _, m := range got.Methods {
		switch {
		case known[m.Key()]:
			r.Methods++
		case m.Verb == "OPTIONS":
			r.Preflights++
		}
	}
	return r
}
