// Package cli is the portcullis command line: one file per verb, each
// building a cobra command from an options struct so parsing and running are
// tested apart. Commands turn their results into exit codes: 0 clean, 1
// findings (invalid description, policy failures, drift, probe failures), 2
// could not run (usage, unreadable input, AWS or network errors).
package cli
