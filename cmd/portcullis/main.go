// Command portcullis is the CLI; everything lives in package cli.
package main

import (
	"os"

	"github.com/portcullis-dev/portcullis/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], cli.System())) }
