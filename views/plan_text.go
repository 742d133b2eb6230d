package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/plan"
)

// ANSI colours of the plan's actions, used only when colour is on.
const (
	ansiGreen  = "\x1b[32m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiReset  = "\x1b[0m"
)

// paintAction colours an action's symbol: green create, red delete,
// yellow update; s unchanged without colour.
func paintAction(a diff.Action, s string, colour bool) string {
	if !colour {
		return s
	}
	switch a {
	case diff.Create:
		return ansiGreen + s + ansiReset
	case diff.Delete:
		return ansiRed + s + ansiReset
	}
	return ansiYellow + s + ansiReset
}

// PlanText prints the plan as Terraform does: one block per change with
// + create, ~ update (old -> new per field) and - delete, then the
// deployment and a summary line.
func PlanText(w io.Writer, p *plan.Plan, colour bool) error {
	paint := func(a diff.Action, s string) string { return paintAction(a, s, colour) }
	var b strings.Builder
	id := p.RestAPIID
	if id == "" {
		id = "new"
	}
	if p.Empty() {
		fmt.Fprintf(&b, "No changes. API %q (%s) matches the description", p.API, id)
		b.WriteString(".\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "Portcullis will perform the following actions on API %q (%s):\n\n", p.API, id)
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "  %s %s\n", paint(c.Action, c.Action.Symbol()), c.Address)
		width := 0
		for _, f := range c.Fields {
			width = max(width, len(f.Name))
		}
		for _, f := range c.Fields {
			switch c.Action {
			case diff.Create:
				fmt.Fprintf(&b, "      %-*s = %s\n", width, f.Name, f.New)
			case diff.Delete:
				fmt.Fprintf(&b, "      %-*s = %s\n", width, f.Name, f.Old)
			default:
				fmt.Fprintf(&b, "      %-*s : %s -> %s\n", width, f.Name, show(f.Old), show(f.New))
			}
		}
	}
	if d := p.Deploy; d != nil {
		verb := "redeploy"
		if !d.StageExists {
			verb = "create and deploy"
		}
		fmt.Fprintf(&b, "  %s deployment: %s stage %q\n", paint(diff.Create, "+"), verb, d.Stage)
		for _, r := range d.Reasons {
			fmt.Fprintf(&b, "      because %s\n", r)
		}
	}
	fmt.Fprintf(&b, "\nPlan: %d to add, %d to change, %d to destroy", p.Summary.Add, p.Summary.Change, p.Summary.Destroy)
	if p.Deploy != nil {
		fmt.Fprintf(&b, "; 1 deployment to stage %q", p.Deploy.Stage)
	} else if len(p.Changes) > 0 {
		b.WriteString("; no stage described, so nothing is deployed (pass --stage)")
	}
	b.WriteString(".\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func show(s string) string {
	if s == "" {
		return `""`
	}
	return s
}
