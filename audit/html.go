package audit

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"

	"github.com/portcullis-dev/portcullis/spec"
)

// The report is one file: the stylesheet and script are inlined, and the
// Content-Security-Policy forbids loading anything else, so it opens
// offline and cannot leak a single request when someone opens it.
var (
	//go:embed assets/report.html.tmpl
	htmlTemplate string
	//go:embed assets/report.css
	htmlCSS string
	//go:embed assets/report.js
	htmlJS string

	htmlTmpl = template.Must(template.New("report").Parse(htmlTemplate))
)

type htmlRenderer struct{}

type htmlHead struct {
	S          Summary
	Version    string
	Generated  string
	Verdict    string
	Bad        bool
	APIs       []htmlAPIOption
	CSS        template.CSS
	ScriptHash string
}

type htmlAPIOption struct{ Key, Label string }

type htmlAPI struct {
	A     *APIResult
	Key   string
	Worst string
	Rows  []htmlRow
}

type htmlRow struct {
	R        RouteRow
	Deployed string
	Probe    string
}

func (htmlRenderer) Render(w io.Writer, r *Report, m Meta) error {
	bw := bufio.NewWriter(w)
	sum := sha256.Sum256([]byte(htmlJS))
	head := htmlHead{S: r.Summary, Version: m.ToolVersion, Generated: m.Generated.UTC().Format("2006-01-02 15:04 UTC"),
		CSS: template.CSS(htmlCSS), ScriptHash: "sha256-" + base64.StdEncoding.EncodeToString(sum[:])}
	head.Verdict, head.Bad = verdict(r.Summary)
	// The API filter lists every API; only names are kept, not results.
	err := r.Each(func(a *APIResult) error {
		head.APIs = append(head.APIs, htmlAPIOption{Key: apiKey(a), Label: a.Name + " (" + a.Region + ")"})
		return nil
	})
	if err != nil {
		return err
	}
	if err := htmlTmpl.ExecuteTemplate(bw, "head", head); err != nil {
		return err
	}
	err = r.Each(func(a *APIResult) error {
		return htmlTmpl.ExecuteTemplate(bw, "api", htmlAPI{A: a, Key: apiKey(a), Worst: worst(a.Findings), Rows: htmlRows(a)})
	})
	if err != nil {
		return err
	}
	if err := htmlTmpl.ExecuteTemplate(bw, "foot", map[string]any{"Script": template.JS(htmlJS)}); err != nil {
		return err
	}
	return bw.Flush()
}

func apiKey(a *APIResult) string { return a.Region + "-" + a.Kind + "-" + a.ID }

// verdict is the one sentence a manager reads.
func verdict(s Summary) (string, bool) {
	var parts []string
	unreadRegions := 0
	for _, r := range s.Regions {
		if r.Error != nil {
			unreadRegions++
		}
	}
	if n := s.Open - s.Accepted; n > 0 {
		parts = append(parts, fmt.Sprintf("%s anyone can call without a declared reason", plural(n, "method")))
	}
	if s.Findings.Error > 0 {
		parts = append(parts, plural(s.Findings.Error, "error")+" to fix")
	}
	if s.Unreadable+unreadRegions > 0 {
		parts = append(parts, fmt.Sprintf("%s not read (so not covered)", plural(s.Unreadable+unreadRegions, "API or region")))
	}
	if len(parts) == 0 {
		if s.Findings.Warning > 0 {
			return fmt.Sprintf("No errors across %s; %s to review.", plural(s.APIs, "API"), plural(s.Findings.Warning, "warning")), false
		}
		return fmt.Sprintf("No findings across %s.", plural(s.APIs, "API")), false
	}
	return fmt.Sprintf("Across %s: %s.", plural(s.APIs, "API"), strings.Join(parts, "; ")), true
}

func worst(fs []Finding) string {
	w := ""
	for _, f := range fs {
		if f.Suppressed {
			continue
		}
		if w == "" || f.Severity < mustSeverity(w) {
			w = f.Severity.String()
		}
	}
	if w == "" {
		return "none"
	}
	return w
}

func mustSeverity(s string) spec.Severity {
	v, _ := spec.ParseSeverity(s)
	return v
}

func htmlRows(a *APIResult) []htmlRow {
	stages := make([]string, 0, len(a.Stages))
	for _, s := range a.Stages {
		if s.DeploymentID != "" {
			stages = append(stages, s.Name)
		}
	}
	out := make([]htmlRow, 0, len(a.Routes))
	for _, r := range a.Routes {
		var in, differ, missing []string
		for _, st := range stages {
			auth, ok := r.Deployed[st]
			switch {
			case !ok:
				missing = append(missing, st)
			case auth != r.Authorization:
				differ = append(differ, st+" serves "+auth)
			default:
				in = append(in, st)
			}
		}
		var parts []string
		if len(in) > 0 {
			parts = append(parts, "yes: "+strings.Join(in, ", "))
		}
		parts = append(parts, differ...)
		if len(missing) > 0 {
			parts = append(parts, "not in "+strings.Join(missing, ", "))
		}
		if len(stages) == 0 {
			parts = []string{"no deployed stage"}
		}
		var probes []string
		for _, st := range sortedKeys(r.Probe) {
			probes = append(probes, st+": "+r.Probe[st])
		}
		sort.Strings(probes)
		out = append(out, htmlRow{R: r, Deployed: strings.Join(parts, "; "), Probe: strings.Join(probes, "; ")})
	}
	return out
}
