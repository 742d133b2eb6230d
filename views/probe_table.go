package views

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/portcullis-dev/portcullis/probe"
)

// ProbeTable prints the probe matrix: one row per route, one column per check.
// A cell is the status the check got, marked "!" when it is not what the
// route should answer, "-" when the check was not sent.
func ProbeTable(w io.Writer, res *probe.Result) error {
	used := map[probe.CheckName]bool{}
	for _, row := range res.Routes {
		for _, c := range row.Checks {
			if c.Sent() {
				used[c.Name] = true
			}
		}
	}
	var cols []probe.CheckName
	for _, n := range probe.Checks {
		if used[n] {
			cols = append(cols, n)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"ROUTE"}
	for _, c := range cols {
		head = append(head, strings.ToUpper(string(c)))
	}
	cors := used[probe.CheckPreflight]
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
			cells = append(cells, probeCell(row.Check(n)))
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

func probeCell(c *probe.CheckResult) string {
	if c == nil || !c.Sent() {
		return "-"
	}
	s := fmt.Sprint(c.Status)
	switch c.Class {
	case probe.ClassNetwork:
		s = "ERR"
	case probe.ClassNotGateway:
		s += "?"
	}
	if !c.Pass() {
		s += "!"
	}
	return s
}

// cors401 says whether the no-token refusal carried CORS headers.
func cors401(row *probe.RouteResult) string {
	c := row.Check(probe.CheckNoToken)
	if c == nil || !c.Sent() || c.Class != probe.ClassUnauthorized {
		return "-"
	}
	if c.CORS {
		return "yes"
	}
	return "no!"
}

// browserCells are the matrix's browser columns for a row: the preflight,
// the identity header, the readable 401.
func browserCells(row *probe.RouteResult) []string {
	b := row.Browser
	if b == nil {
		return []string{"-", "-", "-"}
	}
	cell := func(c probe.BrowserCheck, ok string) string {
		switch {
		case c.Skipped != "":
			return "-"
		case c.Pass:
			return ok
		case c.Error != "":
			return "ERR"
		case c.CORSError != "":
			return "cors!"
		case c.Status != 0:
			return fmt.Sprintf("%d!", c.Status)
		}
		return "no!"
	}
	r401 := cell(b.Readable401, fmt.Sprint(b.Readable401.Status))
	h := cell(b.IdentityHeader, "yes")
	if b.IdentityHeader.CORSError == "HeaderDisallowedByPreflightResponse" {
		h = "no!"
	}
	return []string{cell(b.Preflight, "ok"), h, r401}
}
