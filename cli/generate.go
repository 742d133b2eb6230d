package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/spec/load"
	"github.com/portcullis-dev/portcullis/workflow"
)

type generateOptions struct {
	Load    LoadFlags
	Path    string
	Target  string
	OutDir  string
	OutFile string
	Format  string
	Stage   string
	List    bool
	// IgnorePolicies writes configuration the policy gate refuses.
	IgnorePolicies bool
}

func newGenerateCmd(ios *IOStreams) *cobra.Command {
	o := &generateOptions{}
	cmd := &cobra.Command{
		Use:   "generate PATH --target NAME|all [--out DIR | -o FILE]",
		Short: "Write the configuration for a deployment tool (OpenAPI, CloudFormation, SAM, Terraform, ...)",
		Long: `Generate writes, from one description, the authorizer and method
configuration for a deployment tool, complete with what is otherwise pasted by
hand: unauthenticated CORS preflights, 4XX/5XX gateway responses with CORS
headers, and redeploy triggers. Output is deterministic: the same description
gives the same bytes.

Without --out or -o the single generated file goes to standard output.
--target all writes every target into its own folder under --out.
--format picks JSON or YAML where a target offers both; with -o FILE the
file's extension decides when --format is not given.

The description goes through the same policy gate as plan and apply first:
an error finding (an open route without a reason, say) is printed on stderr
and nothing is written (exit 1) unless --ignore-policies is given.

Generated files name the description by its base name only (todo.hcl, or
the folder's name), so the same description gives the same bytes from any
working directory and no machine path reaches a deployed template.

Exit status: 0 when written, 1 when the description is invalid or fails the
policies, 2 when it could not run (unreadable path, unknown target,
unwritable output).`,
		Example: `  portcullis generate --list
  portcullis generate examples/todo --target openapi
  portcullis generate examples/todo --target cloudformation -o stack.json
  portcullis generate examples/todo --target all --out generated/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if o.List {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				o.Path = args[0]
			}
			return runGenerate(ios, o)
		},
	}
	o.Load.Register(cmd)
	f := cmd.Flags()
	f.StringVarP(&o.Target, "target", "t", "", "target to generate: one of "+strings.Join(registry.Names(), ", ")+", or all")
	f.StringVar(&o.OutDir, "out", "", "write the files into `DIR` (created if missing)")
	f.StringVarP(&o.OutFile, "output", "o", "", "write the single generated file to `FILE` (also -out FILE)")
	f.StringVarP(&o.Format, "format", "f", "", "encoding where the target offers several: json or yaml")
	f.StringVar(&o.Stage, "stage", "", "stage to target (default: every stage where the target holds several, else the first)")
	f.BoolVar(&o.List, "list", false, "list the targets and exit")
	f.BoolVar(&o.IgnorePolicies, "ignore-policies", false, "write the configuration even when the description fails the built-in policies")
	return cmd
}

func runGenerate(ios *IOStreams, o *generateOptions) error {
	if o.List {
		tw := tabwriter.NewWriter(ios.Out, 0, 4, 2, ' ', 0)
		for _, g := range registry.All() {
			fmt.Fprintf(tw, "%s\t%s\n", g.Name(), g.Summary())
		}
		if err := tw.Flush(); err != nil {
			return failed("%v", err)
		}
		return nil
	}
	if o.Target == "" {
		return failed("--target is required (one of %s, or all; see generate --list)", strings.Join(registry.Names(), ", "))
	}
	if o.OutDir != "" && o.OutFile != "" {
		return failed("--out and -o exclude each other: --out writes a folder, -o one file")
	}
	var gens []generators.Generator
	if o.Target == "all" {
		gens = registry.All()
		if o.OutDir == "" {
			return failed("--target all writes several files: give --out DIR")
		}
	} else {
		g, ok := registry.Lookup(o.Target)
		if !ok {
			return failed("unknown --target %q (want one of %s, or all)", o.Target, strings.Join(registry.Names(), ", "))
		}
		gens = []generators.Generator{g}
	}
	format := strings.ToLower(o.Format)
	if format == "" && o.OutFile != "" && o.OutFile != "-" {
		switch strings.ToLower(filepath.Ext(o.OutFile)) {
		case ".json":
			format = "json"
		case ".yaml", ".yml":
			format = "yaml"
		}
	}

	d, ds := o.Load.Load(ios, o.Path)
	if ds.HasErrors() {
		_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds, Files: d.Files})
		for _, x := range ds {
			if x.Code == load.CodeLoadError {
				return &exitError{code: ExitError}
			}
		}
		return findings()
	}
	// The same gate as plan and apply: configuration that deploys an open
	// route without a reason is not written unless asked for.
	if gate := workflow.GateDescription(d); len(gate) > 0 {
		_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: gate, Files: d.Files})
		if !o.IgnorePolicies {
			fmt.Fprintf(ios.ErrOut, "Nothing was written: %s fails the policies above. Fix it, suppress a rule with ignore and a reason, or pass --ignore-policies to write it anyway.\n", o.Path)
			return findings()
		}
		fmt.Fprintln(ios.ErrOut, "Writing it anyway (--ignore-policies).")
	}
	if len(ds) > 0 {
		// Warnings (quotas, unused examples) do not stop generation, but
		// the user should see them; stdout may be the generated file.
		_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: ds, Files: d.Files})
	}

	type output struct {
		dir   string
		files []generators.File
		err   error
	}
	// Generators are pure functions of the model, so --target all runs
	// them side by side; results are kept in registry order.
	outs := make([]output, len(gens))
	var wg sync.WaitGroup
	for i, g := range gens {
		opts := generators.Options{Source: sourceName(o.Path), Format: format, Stage: o.Stage}
		if o.Target == "all" && format != "" && !offers(g, format) {
			opts.Format = ""
		}
		dir := o.OutDir
		if o.Target == "all" {
			dir = filepath.Join(o.OutDir, g.Name())
		}
		wg.Go(func() {
			files, err := g.Generate(d, opts)
			outs[i] = output{dir: dir, files: files, err: err}
		})
	}
	wg.Wait()
	var limits spec.Diagnostics
	for i, out := range outs {
		var unsupported *generators.UnsupportedError
		if o.Target == "all" && errors.As(out.err, &unsupported) {
			// --target all writes what each target can say (Swagger has
			// no HTTP APIs), and says what it left out.
			fmt.Fprintf(ios.ErrOut, "Skipped %s: %v\n", gens[i].Name(), out.err)
			outs[i] = output{dir: out.dir}
			continue
		}
		if out.err != nil {
			return failed("%s: %v", gens[i].Name(), out.err)
		}
		for _, f := range out.files {
			limits = append(limits, f.Warnings...)
		}
	}
	// Several targets that cannot set an existing API's CORS say so once.
	limits = generators.MergeExistingAPICORS(d, limits, o.Path)
	if len(limits) > 0 {
		// The target's own limits (CloudFormation's 500 resources per
		// template, say) and what it cannot set: the files are still written.
		_ = report.Write(ios.ErrOut, "text", &report.Report{Diagnostics: limits, Files: d.Files})
	}

	if o.OutDir == "" {
		files := outs[0].files
		if len(files) != 1 {
			var names []string
			for _, f := range files {
				names = append(names, f.Path)
			}
			return failed("%s writes %d files (%s): give --out DIR", o.Target, len(files), strings.Join(names, ", "))
		}
		if o.OutFile == "" || o.OutFile == "-" {
			if _, err := ios.Out.Write(files[0].Content); err != nil {
				return failed("%v", err)
			}
			return nil
		}
		if err := writeFile(o.OutFile, files[0].Content); err != nil {
			return failed("%v", err)
		}
		fmt.Fprintf(ios.ErrOut, "Wrote %s\n", o.OutFile)
		return nil
	}
	for _, out := range outs {
		for _, f := range out.files {
			p := filepath.Join(out.dir, filepath.FromSlash(f.Path))
			if err := writeFile(p, f.Content); err != nil {
				return failed("%v", err)
			}
			fmt.Fprintf(ios.ErrOut, "Wrote %s\n", p)
		}
	}
	return nil
}

func offers(g generators.Generator, format string) bool {
	f, ok := g.(generators.Formatter)
	if !ok {
		return false
	}
	for _, x := range f.Formats() {
		if x == format {
			return true
		}
	}
	return false
}

func writeFile(p string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, content, 0o644)
}

// sourceName is how generated files name the description: its base name,
// never the path as typed, so output does not depend on the working
// directory or reveal the machine's folders.
func sourceName(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return filepath.Base(path)
}
