package workflow

import (
	"fmt"
	"os"
	"path/filepath"
)

// EnvStateDir names the environment variable that chooses the local state
// directory (--state-dir wins over it).
const EnvStateDir = "PORTCULLIS_STATE_DIR"

// Files in the local state directory.
const (
	// StateFileName holds the embedded gateway's APIs (apply --local,
	// drift --local, probe --local and local serve --state share it).
	StateFileName = "state.json"
	// KeyFileName holds the built-in issuer's private key (mode 0600):
	// local token mints with it, the gateway trusts it.
	KeyFileName = "issuer-key.pem"
)

// StateDir is where --local keeps the embedded gateway's state and the
// built-in issuer's key: flag, else $PORTCULLIS_STATE_DIR, else
// $XDG_STATE_HOME/portcullis, else ~/.local/state/portcullis. Never the
// working directory: a token minted by `local token` in one folder must be
// trusted by a gateway started in another, `apply --local` from examples/
// must see the API `apply --local` made from the repository root, and a
// private key must not appear as an untracked file in whatever repository
// the user stands in. The result is absolute.
func StateDir(flag string, getenv func(string) string) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	dir := flag
	if dir == "" {
		dir = getenv(EnvStateDir)
	}
	if dir == "" {
		if x := getenv("XDG_STATE_HOME"); filepath.IsAbs(x) {
			dir = filepath.Join(x, "portcullis")
		}
	}
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return "", fmt.Errorf("no home directory for the local state ($HOME is not set): set %s or pass --state-dir DIR", EnvStateDir)
		}
		dir = filepath.Join(home, ".local", "state", "portcullis")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("local state directory %s: %v", dir, err)
	}
	return abs, nil
}
