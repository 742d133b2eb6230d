package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/plan"
)

// HTTPPlanText prints an HTTP API's plan: one line per change in the order
// apply makes them (+ create, ~ update, - delete, coloured like PlanText's
// when colour is on), its fields old -> new, then the summary and how the
// stage picks the changes up.
func HTTPPlanText(w io.Writer, p *plan.HTTPPlan, colour bool) error {
	var b strings.Builder
	if p.Empty() {
		fmt.Fprintf(&b, "No changes. HTTP API %q matches the description", p.API)
		switch {
		case p.Stage == "":
			// No stage described or named: nothing serves it yet.
			b.WriteString(" (no stage: describe one or pass --stage to deploy it).\n")
		case p.AutoDeploy:
			fmt.Fprintf(&b, "; stage %s deploys itself (auto-deploy).\n", p.Stage)
		default:
			fmt.Fprintf(&b, " and stage %s serves it.\n", p.Stage)
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "HTTP API %q", p.API)
	if p.APIID != "" {
		fmt.Fprintf(&b, " (%s)", p.APIID)
	}
	b.WriteString(":\n")
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "  %s %s\n", paintAction(c.Action, c.Action.Symbol(), colour), c.Address)
		for _, f := range c.Fields {
			switch {
			case f.Old == "":
				fmt.Fprintf(&b, "      %s: %s\n", f.Name, f.New)
			case f.New == "":
				fmt.Fprintf(&b, "      %s: %s -> (removed)\n", f.Name, f.Old)
			default:
				fmt.Fprintf(&b, "      %s: %s -> %s\n", f.Name, f.Old, f.New)
			}
		}
	}
	fmt.Fprintf(&b, "\nPlan: %d to add, %d to change, %d to destroy.", p.Summary.Add, p.Summary.Change, p.Summary.Destroy)
	if p.AutoDeploy {
		fmt.Fprintf(&b, " Stage %s deploys itself (auto-deploy): no deployment; each change is live as it is made.\n", p.Stage)
	} else if p.Deploys() {
		fmt.Fprintf(&b, " One deployment to stage %s at the end.\n", p.Stage)
	} else {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
