package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/importer"
	"github.com/portcullis-dev/portcullis/live"
)

type importOptions struct {
	AWS       AWSFlags
	RestAPIID string
	Name      string
	Format    string
	Out       string
}

func newImportCmd(ios *IOStreams) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import --rest-api-id ID",
		Short: "Write a description of a live API (HCL or OpenAPI)",
		Long: `Import reads a live REST API (read-only calls) and writes its description: HCL
(default) or OpenAPI 3.0. Cognito authorizers, every method's authorization,
scopes and integration, CORS (recognised from the preflight mocks), gateway
responses and stages are kept; open methods are marked public with a reason to
review; Lambda authorizers and their methods are listed as skipped. "plan" on
the result shows no changes, and "generate" turns it into any framework's
configuration.`,
		Example: `  portcullis import --rest-api-id a1b2c3d4e5 --region us-east-1 > api.hcl
  portcullis import --name todo --local --format openapi --out todo.openapi.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(cmd.Context(), ios, o)
		},
	}
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.RestAPIID, "rest-api-id", "", "the live API's id")
	f.StringVar(&o.Name, "name", "", "find the live API by name instead (must be unique)")
	f.StringVarP(&o.Format, "format", "f", "hcl", "output format: hcl, openapi (YAML), openapi-json")
	f.StringVarP(&o.Out, "out", "o", "", "write to `FILE` instead of standard output")
	return cmd
}

func runImport(ctx context.Context, ios *IOStreams, o *importOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if (o.RestAPIID == "") == (o.Name == "") {
		return failed("give exactly one of --rest-api-id and --name")
	}
	if o.Format != "hcl" && o.Format != "openapi" && o.Format != "openapi-json" {
		return failed("unknown --format %q (want hcl, openapi or openapi-json)", o.Format)
	}
	sess, err := o.AWS.Connect(ctx, "")
	if err != nil {
		return err
	}
	defer sess.Close()
	id, _, err := live.Find(ctx, sess.Client, live.Target{RestAPIID: o.RestAPIID, Name: o.Name})
	if err != nil {
		return failed("%v", err)
	}
	st, err := live.Read(ctx, sess.Client, id, live.ReadOptions{DeployedStages: []string{}})
	if err != nil {
		return failed("reading the live API: %v", err)
	}
	api, skipped := importer.Describe(st, sess.Region)
	var out []byte
	switch o.Format {
	case "hcl":
		out = importer.HCL(api, importer.Header(id, skipped))
	default:
		format := "yaml"
		if o.Format == "openapi-json" {
			format = "json"
		}
		if out, err = importer.OpenAPI(api, format); err != nil {
			return failed("%v", err)
		}
	}
	for _, s := range skipped {
		fmt.Fprintln(ios.ErrOut, "Skipped:", s)
	}
	if o.Out == "" {
		_, err = ios.Out.Write(out)
		return err
	}
	if err := os.WriteFile(o.Out, out, 0o644); err != nil {
		return failed("%v", err)
	}
	fmt.Fprintf(ios.ErrOut, "Wrote %s (%d routes, %d authorizers). Next: portcullis plan %s\n", o.Out, len(api.Routes), len(api.Authorizers), o.Out)
	return nil
}
