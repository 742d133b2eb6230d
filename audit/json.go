package audit

import (
	"bufio"
	"encoding/json"
	"io"
	"time"
)

type jsonRenderer struct{}

// jsonHead is the envelope before the APIs; the APIs are streamed after
// it, one at a time.
type jsonHead struct {
	FormatVersion string    `json:"format_version"`
	Tool          jsonTool  `json:"tool"`
	Generated     time.Time `json:"generated_at"`
	Summary       Summary   `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Render writes {"format_version", "tool", "generated_at", "summary",
// "apis": [...]}. Lists are never null.
func (jsonRenderer) Render(w io.Writer, r *Report, m Meta) error {
	bw := bufio.NewWriter(w)
	s := r.Summary
	if s.Regions == nil {
		s.Regions = []RegionResult{}
	}
	head, err := json.MarshalIndent(jsonHead{FormatVersion: FormatVersion, Tool: jsonTool{"portcullis", m.ToolVersion}, Generated: m.Generated.UTC(), Summary: s}, "", "  ")
	if err != nil {
		return err
	}
	// Reopen the object to append "apis".
	bw.Write(head[:len(head)-2])
	bw.WriteString(",\n  \"apis\": [")
	first := true
	err = r.Each(func(a *APIResult) error {
		normalize(a)
		b, err := json.MarshalIndent(a, "    ", "  ")
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n    ")
		bw.Write(b)
		return nil
	})
	if err != nil {
		return err
	}
	if !first {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]\n}\n")
	return bw.Flush()
}

// normalize turns nil lists into empty ones so JSON consumers never see
// null.
func normalize(a *APIResult) {
	if a.Authorizers == nil {
		a.Authorizers = []AuthorizerRow{}
	}
	if a.Stages == nil {
		a.Stages = []StageRow{}
	}
	if a.Routes == nil {
		a.Routes = []RouteRow{}
	}
	if a.Findings == nil {
		a.Findings = []Finding{}
	}
	for i := range a.Routes {
		if a.Routes[i].Deployed == nil {
			a.Routes[i].Deployed = map[string]string{}
		}
	}
}
