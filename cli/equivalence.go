package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/generators/equivalence"
	"github.com/portcullis-dev/portcullis/generators/registry"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

type checkGeneratorsOptions struct {
	Load       LoadFlags
	Path       string
	Stage      string
	Serverless string
	CDK        string
	Format     string
}

func newCheckGeneratorsCmd(ios *IOStreams) *cobra.Command {
	o := &checkGeneratorsOptions{}
	cmd := &cobra.Command{
		Use:   "check-generators PATH [--serverless DIR] [--cdk DIR]",
		Short: "Check that every generated output says the same about auth as the description",
		Long: `Check-generators generates every target from the description, reads each
output back (CloudFormation YAML and JSON, SAM as written, OpenAPI, Swagger,
Terraform HCL) and compares its auth surface with the description's: for each
method the authorization type, the authorizer (user pools, identity source,
TTL, audience check) and the scopes, and the gateway responses' status and
CORS headers. Unauthenticated OPTIONS preflights are expected extras; an
authenticated one is a finding.

With --serverless DIR (a folder where the Serverless Framework v3 is
installed, such as peers/serverless after npm ci) the serverless.yml goes
through ` + "`sls package`" + ` and its CloudFormation is compared too; with --cdk DIR
(aws-cdk-lib, constructs and typescript installed) the CDK app is compiled
and synthesized, and its template compared. Both run offline.

Progress, a line per output as it is checked ("[3/10] sam: agrees"), goes
to stderr on a terminal (PORTCULLIS_PROGRESS=1 asks for it elsewhere).

Exit status: 0 when every output agrees, 1 when one differs (or a tool
refuses an output), 2 when the check could not run (an unreadable or
invalid description: portcullis validate says why).`,
		Example: `  portcullis check-generators examples/todo
  portcullis check-generators examples/todo --serverless peers/serverless --cdk peers/cdk
  portcullis check-generators examples/multipool --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			return runCheckGenerators(cmd.Context(), ios, o)
		},
	}
	o.Load.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.Stage, "stage", "", "stage to generate for (default: the first stage described)")
	f.StringVar(&o.Serverless, "serverless", "", "also check `sls package`'s CloudFormation, with the Serverless Framework installed in `DIR`")
	f.StringVar(&o.CDK, "cdk", "", "also check the synthesized CDK template, with aws-cdk-lib and typescript installed in `DIR`")
	f.StringVarP(&o.Format, "format", "f", "text", "output format: text, json")
	return cmd
}

// generatorLookup finds check-generators' generators: the registry's; a
// test swaps in one whose output disagrees.
var generatorLookup = registry.Lookup

// checkProgress writes a line per output to stderr as check-generators
// goes: "[3/10] sam: agrees", and before a tool that takes a while,
// "[9/10] serverless (sls package): running...".
func checkProgress(w io.Writer, total int) func(input, output string, done *equivalence.Output) {
	n := 0
	return func(input, output string, done *equivalence.Output) {
		if done == nil {
			fmt.Fprintf(w, "[%d/%d] %s: running...\n", n+1, total, output)
			return
		}
		n++
		status := "agrees"
		switch {
		case done.Skipped != "":
			status = "skipped"
		case done.Err != "":
			status = "failed"
		default:
			for _, a := range done.APIs {
				if len(a.Differences) > 0 {
					status = "DIFFERS"
				}
			}
		}
		fmt.Fprintf(w, "[%d/%d] %s: %s\n", n, total, output, status)
	}
}

func runCheckGenerators(ctx context.Context, ios *IOStreams, o *checkGeneratorsOptions) error {
	if o.Format != "text" && o.Format != "json" {
		return failed("unknown --format %q (want text or json)", o.Format)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	opts := equivalence.Options{Stage: o.Stage}
	if o.Serverless != "" {
		s := &equivalence.Serverless{Dir: o.Serverless}
		if err := s.Available(); err != nil {
			return failed("--serverless %s: %v", o.Serverless, err)
		}
		defer s.Close()
		opts.Serverless = s
	}
	if o.CDK != "" {
		c := &equivalence.CDK{Dir: o.CDK}
		if err := c.Available(); err != nil {
			return failed("--cdk %s: %v", o.CDK, err)
		}
		opts.CDK = c
	}
	d, ds := o.Load.Load(ios, o.Path)
	if ds.HasErrors() {
		out := OutputFlags{Format: o.Format}
		return out.Fail(ios, &workflow.Error{Step: "load", Diagnostics: ds, Files: d.Files})
	}
	if ios.Progress() {
		fmt.Fprintf(ios.ErrOut, "Generating every target from %s and reading each back (tools run offline; this takes a while with --serverless or --cdk)...\n", o.Path)
		opts.Progress = checkProgress(ios.ErrOut, equivalence.Outputs())
	}
	opts.Lookup = generatorLookup
	reports := equivalence.Check(ctx, []equivalence.Input{{Name: sourceName(o.Path), Desc: d}}, opts)
	ok := true
	for _, r := range reports {
		ok = ok && r.OK
	}
	var err error
	if o.Format == "json" {
		err = views.WriteJSON(ios.Out, views.CheckGeneratorsDocument{FormatVersion: "1.0", OK: ok, Reports: reports})
	} else {
		err = views.CheckGeneratorsText(ios.Out, reports)
	}
	if err != nil {
		return failed("%v", err)
	}
	if !ok {
		return findings()
	}
	return nil
}
