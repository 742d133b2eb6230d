package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/importer"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/workflow"
)

type importOptions struct {
	// DefaultStage is written first: the description's default stage.
	DefaultStage string
	AWS          AWSFlags
	RestAPIID    string
	// APIID names an HTTP API (API Gateway v2).
	APIID  string
	Name   string
	Format string
	Out    string
}

func newImportCmd(ios *IOStreams) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import --rest-api-id ID | --name NAME",
		Short: "Write a description of a live API (HCL or OpenAPI)",
		Long: `Import reads a live REST API (read-only calls) and writes its description: HCL
(default) or OpenAPI 3.0. Cognito authorizers, every method's authorization,
scopes and integration, CORS (recognised from the preflight mocks), gateway
responses and stages are kept; open methods are marked public with a reason to
review; Lambda authorizers and their methods are listed as skipped. "plan" on
the result shows no changes, and "generate" turns it into any framework's
configuration. The result is yours to edit.

--format is what is written (hcl, openapi as YAML, openapi-json); with
-o FILE and no --format the file's extension decides (.hcl, .yaml/.yml,
.json), and a format that does not match the extension is refused.

Exit status: 0 written, 2 when it could not import.`,
		Example: `  portcullis import --rest-api-id a1b2c3d4e5 --region us-east-1 > api.hcl
  portcullis import --name todo --local -o todo.openapi.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") {
				o.Format = ""
			}
			return runImport(cmd.Context(), ios, o)
		},
	}
	o.AWS.Register(cmd)
	f := cmd.Flags()
	f.StringVar(&o.RestAPIID, "rest-api-id", "", "the live API's id")
	f.StringVar(&o.APIID, "api-id", "", "the live HTTP API's id (API Gateway v2); --name finds either kind")
	f.StringVar(&o.Name, "name", "", "find the live API by name instead (must be unique)")
	f.StringVarP(&o.Format, "format", "f", "hcl", "output format: hcl, openapi (YAML), openapi-json (default: from -o's extension, else hcl)")
	f.StringVar(&o.DefaultStage, "default-stage", "", "the live stage to write first, the description's default (plan, apply and probe use it when --stage is not given)")
	f.StringVarP(&o.Out, "output", "o", "", "write to `FILE` instead of standard output (also -out FILE)")
	return cmd
}

// importFormat settles the format from --format and -o's extension.
func importFormat(format, out string) (string, error) {
	byExt := map[string]string{".hcl": "hcl", ".yaml": "openapi", ".yml": "openapi", ".json": "openapi-json"}
	ext := strings.ToLower(filepath.Ext(out))
	want, known := byExt[ext]
	switch {
	case format == "" && out == "":
		return "hcl", nil
	case format == "" && !known:
		return "", failed("-o %s: cannot tell the format from the extension %q: name it .hcl, .yaml or .json, or pass --format", out, ext)
	case format == "":
		return want, nil
	case format != "hcl" && format != "openapi" && format != "openapi-json":
		return "", failed("unknown --format %q (want hcl, openapi or openapi-json)", format)
	case out != "" && known && want != format:
		return "", failed("--format %s does not match -o %s (a %s file): portcullis reads %s as %s; rename the file or drop --format", format, out, ext, out, want)
	}
	return format, nil
}

func runImport(ctx context.Context, ios *IOStreams, o *importOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	if n := btoi(o.RestAPIID != "") + btoi(o.APIID != "") + btoi(o.Name != ""); n != 1 {
		return failed("give exactly one of --rest-api-id, --api-id (an HTTP API) and --name")
	}
	format, err := importFormat(o.Format, o.Out)
	if err != nil {
		return err
	}
	ep, err := o.AWS.Endpoint(ios)
	if err != nil {
		return err
	}
	sess, err := workflow.Connect(ctx, ep, "")
	if err != nil {
		return couldNotRun(err)
	}
	defer sess.Close()
	if done, err := importHTTP(ctx, ios, o, sess, format); done {
		return err
	}
	id, _, err := live.Find(ctx, sess.Client, live.Target{RestAPIID: o.RestAPIID, Name: o.Name})
	if err != nil {
		return failed("%v (%s)", err, sess.Target())
	}
	if ios.Progress() {
		fmt.Fprintf(ios.ErrOut, "Reading REST API %s...\n", id)
	}
	st, err := live.Read(ctx, sess.Client, id, live.ReadOptions{DeployedStages: []string{}})
	if err != nil {
		return failed("reading the live API %s: %v", id, err)
	}
	api, skipped := importer.Describe(st, sess.Region)
	if err := defaultStageFirst(ios, api.Stages, o.DefaultStage); err != nil {
		return err
	}
	header := importer.Header(id, skipped)
	var out []byte
	switch format {
	case "hcl":
		out = importer.HCL(api, header)
	case "openapi":
		out, err = importer.OpenAPI(api, "yaml", header)
	default:
		out, err = importer.OpenAPI(api, "json", header)
	}
	if err != nil {
		return failed("%v", err)
	}
	for _, s := range skipped {
		fmt.Fprintln(ios.ErrOut, "Skipped:", s)
	}
	if o.Out == "" || o.Out == "-" {
		if _, err = ios.Out.Write(out); err != nil {
			return failed("%v", err)
		}
		return nil
	}
	if err := os.WriteFile(o.Out, out, 0o644); err != nil {
		return failed("writing %s: %v", o.Out, err)
	}
	fmt.Fprintf(ios.ErrOut, "Wrote %s (%d routes, %d authorizers). Next: portcullis plan %s\n", o.Out, len(api.Routes), len(api.Authorizers), o.Out)
	return nil
}

// defaultStageFirst puts the stage named by --default-stage first. API
// Gateway keeps no order of stages, so without the flag the import lists
// them by name and says which one became the default, rather than let a
// description's default change from prod to dev unnoticed.
func defaultStageFirst(ios *IOStreams, stages []*spec.Stage, name string) error {
	if name == "" {
		if len(stages) > 1 {
			var names []string
			for _, s := range stages {
				names = append(names, s.Name)
			}
			fmt.Fprintf(ios.ErrOut, "Stages %s are written by name, so %s is the default stage: pass --default-stage NAME to choose another.\n", strings.Join(names, ", "), stages[0].Name)
		}
		return nil
	}
	for i, s := range stages {
		if s.Name == name {
			copy(stages[1:i+1], stages[:i])
			stages[0] = s
			return nil
		}
	}
	return failed("--default-stage %q: the live API has no such stage", name)
}
