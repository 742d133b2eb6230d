package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/spec"
)

func newVersionCmd(ios *IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(ios.Out, "portcullis %s (%s, model format %s)\n", Version, runtime.Version(), spec.FormatVersion)
			return err
		},
	}
}
