package emulator

import "fmt"

var fmtSprintf = fmt.Sprintf
