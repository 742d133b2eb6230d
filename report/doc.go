// Package report renders diagnostics (from validation, policies, drift or
// probes) in every output format a command offers: terraform-style text with
// source snippets, a versioned JSON envelope, SARIF 2.1.0 for code scanning
// and GitHub workflow annotations. One file per format behind one interface;
// the result decides nothing about exit codes (commands do).
package report
