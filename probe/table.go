package probe

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the summary: one row per route, one column per check.
// A cell is the status the check got, marked "!" when it is not what the
// route should answer, "-" when the check was not sent.
func WriteTable(w io.Writer, res *Result) error {
	used := map[CheckName]bool{}
	for _, row := range res.Routes {
		for _, c := range row.Checks {
			if c.Sent() {
				used[c.Name] = true
			}
		}
	}
	var cols []CheckName
	for _, n := range Checks {
		if used[n] {
			cols = append(cols, n)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"ROUTE"}
	for _, c := range cols {
		head = append(head, strings.ToUpper(string(c)))
	}
	cors := used[CheckPreflight]
	if cors {
		head = append(head, "CORS-401")
	}
	browser := false
	for _, row := range res.Routes {
		browser = browser || row.Browser != nil
	}
	if browser {
		head = append(head, "BROWSER-PREFLIGHT", "BROWSER-HEADER", "BROWSER-401")
	}
	head = append(head, "VERDICT")
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for i := range res.Routes {
		row := &res.Routes[i]
		cells := []string{row.Key}
		for _, n := range cols {
			cells = append(cells, cell(row.Check(n)))
		}
		if cors {
			cells = append(cells, cors401(row))
		}
		if browser {
			cells = append(cells, browserCells(row)...)
		}
		cells = append(cells, row.Verdict)
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%d route(s), %d request(s) to %s in %s. \"!\" marks an unexpected answer, \"-\" a check not sent.\n",
		len(res.Routes), res.Requests, res.BaseURL, res.Elapsed.Round(1e6))
	return err
}

func cell(c *CheckResult) string {
	if c == nil || !c.Sent() {
		return "-"
	}
	s := fmt.Sprint(c.Status)
	switch c.Class {
	case ClassNetwork:
		s = "ERR"
	case ClassNotGateway:
		s += "?"
	}
	if !c.Pass() {
		s += "!"
	}
	return s
}

// cors401 says whether the no-token refusal carried CORS headers.
func cors401(row *RouteResult) string {
	c := row.Check(CheckNoToken)
	if c == nil || !c.Sent() || c.Class != ClassUnauthorized {
		return "-"
	}
	if c.CORS {
		return "yes"
	}
	return "no!"
}

// Pass reports whether a sent check got what the route should answer.
// Bearer refusals pass: AWS's stance on the prefix is unconfirmed.
func (c *CheckResult) Pass() bool {
	switch c.Expect {
	case ExpectRefuse:
		return c.Class == ClassUnauthorized
	case ExpectAdmit:
		if c.Name == CheckBearer {
			return c.Class == ClassReached || c.Class == ClassUnauthorized
		}
		return c.Class == ClassReached
	case ExpectPreflight:
		return c.preflightWhy("") == ""
	}
	return false
}
