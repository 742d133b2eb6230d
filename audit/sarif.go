package audit

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/portcullis-dev/portcullis/report"
)

type sarifRenderer struct{}

// SARIF 2.1.0, written by hand so results stream: the rules (every code an
// audit can report, so their indexes are known before the first result),
// then one result per finding. Results are located by ARN: the artifact
// URI is the ARN of the method, authorizer, stage or API (an absolute URI
// with scheme "arn"), and a logical location carries it again as its
// fully qualified name.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool struct {
		Driver sarifDriver `json:"driver"`
	} `json:"tool"`
	ColumnKind string `json:"columnKind"`
	// Results is written separately, streamed.
	Results []json.RawMessage `json:"results"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string    `json:"id"`
	Name                 string    `json:"name"`
	ShortDescription     sarifText `json:"shortDescription"`
	FullDescription      sarifText `json:"fullDescription"`
	Help                 sarifText `json:"help"`
	HelpURI              string    `json:"helpUri,omitempty"`
	DefaultConfiguration struct {
		Level string `json:"level"`
	} `json:"defaultConfiguration"`
	Properties struct {
		Tags             []string `json:"tags"`
		SecuritySeverity string   `json:"security-severity"`
		Precision        string   `json:"precision"`
	} `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSuppress   `json:"suppressions,omitempty"`
	Properties          map[string]string `json:"properties,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI string `json:"uri"`
		} `json:"artifactLocation"`
	} `json:"physicalLocation"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifSuppress struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

// FingerprintKey names the audit's partial fingerprint: rule, ARN, route,
// stage, so code scanning tracks a finding across runs.
const FingerprintKey = "portcullisAudit/v1"

func (sarifRenderer) Render(w io.Writer, r *Report, m Meta) error {
	rules := Rules()
	index := map[string]int{}
	run := sarifRun{ColumnKind: "unicodeCodePoints", Results: []json.RawMessage{}}
	run.Tool.Driver = sarifDriver{Name: "portcullis", Version: m.ToolVersion, InformationURI: report.ToolInformationURI}
	for i, rule := range rules {
		index[rule.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, toSARIFRule(rule))
	}
	head, err := json.MarshalIndent(sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}, "", "  ")
	if err != nil {
		return err
	}
	// Cut at the empty results list and stream the results into it.
	const marker = `"results": []`
	at := strings.LastIndex(string(head), marker)
	if at < 0 {
		return errors.New("sarif: no results list to stream into")
	}
	bw := bufio.NewWriter(w)
	bw.Write(head[:at+len(marker)-1])
	first := true
	emit := func(f Finding) error {
		b, err := json.MarshalIndent(toSARIFResult(f, index), "        ", "  ")
		if err != nil {
			return err
		}
		if !first {
			bw.WriteString(",")
		}
		first = false
		bw.WriteString("\n        ")
		bw.Write(b)
		return nil
	}
	for _, rr := range r.Summary.Regions {
		if rr.Error != nil {
			f := finding(CodeUnreadable, "arn:aws:apigateway:"+rr.Region+"::/restapis", "", "", "Region "+rr.Region+" could not be read: "+rr.Error.Message)
			if err := emit(f); err != nil {
				return err
			}
		}
	}
	err = r.Each(func(a *APIResult) error {
		for _, f := range a.Findings {
			if err := emit(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !first {
		bw.WriteString("\n      ")
	}
	bw.Write(head[at+len(marker)-1:])
	bw.WriteString("\n")
	return bw.Flush()
}

func toSARIFRule(r report.Rule) sarifRule {
	help := r.Help
	if help == "" {
		help = r.Summary
	}
	out := sarifRule{ID: r.ID, Name: r.Name, ShortDescription: sarifText{Text: r.Summary}, FullDescription: sarifText{Text: r.Summary},
		Help: sarifText{Text: help, Markdown: help}, HelpURI: r.HelpURI}
	out.DefaultConfiguration.Level = report.SARIFLevel(r.Severity)
	out.Properties.Tags = []string{"security", "api-gateway", "cognito"}
	out.Properties.SecuritySeverity = report.SecuritySeverity(r.Severity)
	out.Properties.Precision = "very-high"
	return out
}

func toSARIFResult(f Finding, index map[string]int) sarifResult {
	msg := f.Summary
	if f.Detail != "" {
		if !strings.HasSuffix(msg, ".") {
			msg += "."
		}
		msg += " " + f.Detail
	}
	var loc sarifLocation
	loc.PhysicalLocation.ArtifactLocation.URI = f.ARN
	name := f.Route
	if name == "" {
		name = f.ARN[strings.LastIndex(f.ARN, "/")+1:]
	}
	loc.LogicalLocations = []sarifLogical{{Name: name, FullyQualifiedName: f.ARN, Kind: "resource"}}
	sum := sha256.Sum256([]byte(strings.Join([]string{f.Code, f.ARN, f.Route, f.Stage}, "\x00")))
	out := sarifResult{RuleID: f.Code, RuleIndex: index[f.Code], Level: report.SARIFLevel(f.Severity), Message: sarifText{Text: msg},
		Locations: []sarifLocation{loc}, PartialFingerprints: map[string]string{FingerprintKey: hex.EncodeToString(sum[:16])}}
	props := map[string]string{"source": f.Source}
	if f.Stage != "" {
		props["stage"] = f.Stage
	}
	if f.Route != "" {
		props["route"] = f.Route
	}
	out.Properties = props
	if f.Suppressed {
		out.Suppressions = []sarifSuppress{{Kind: "external", Status: "accepted", Justification: f.SuppressReason}}
	}
	return out
}
