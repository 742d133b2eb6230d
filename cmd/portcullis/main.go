// Command portcullis is the CLI; everything lives in package cli.
package main

import (
	"os"
	"runtime/debug"

	"github.com/portcullis-dev/portcullis/cli"
)

func main() {
	// A run is short and most of its garbage is parser tokens dropped right
	// after parsing: collecting half as often takes a fifth off reading a
	// 10,000-route description and stays well inside its memory budget
	// (docs/benchmarks.md). GOGC, when set, still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
