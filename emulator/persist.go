package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// stateVersion is bumped when the state file's shape changes incompatibly.
const stateVersion = 1

type stateFile struct {
	Version int         `json:"version"`
	APIs    []*apiState `json:"apis"`
}

type store struct {
	path string
}

// Open returns an emulator whose state is loaded from path (when the file
// exists) and written back atomically after every change.
func Open(path string, opts Options) (*Emulator, error) {
	e := New(opts)
	e.store = &store{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return e, nil
	}
	if err != nil {
		return nil, err
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("%s: not an emulator state file: %w", path, err)
	}
	if sf.Version != stateVersion {
		return nil, fmt.Errorf("%s: state version %d, want %d", path, sf.Version, stateVersion)
	}
	for _, a := range sf.APIs {
		if a == nil || a.RestApi.ID == "" {
			return nil, fmt.Errorf("%s: API without id", path)
		}
		if a.GatewayResponses == nil {
			a.GatewayResponses = map[string]*GatewayResponse{}
		}
		if a.Deployments == nil {
			a.Deployments = map[string]*Deployment{}
		}
		if a.Stages == nil {
			a.Stages = map[string]*Stage{}
		}
		e.apis[a.RestApi.ID] = a
	}
	return e, nil
}

// persistLocked writes the state file (caller holds e.mu). The file is
// replaced by rename so a crash never leaves half a file.
func (e *Emulator) persistLocked() error {
	if e.store == nil {
		return nil
	}
	sf := stateFile{Version: stateVersion, APIs: make([]*apiState, 0, len(e.apis))}
	for _, a := range e.apis {
		sf.APIs = append(sf.APIs, a)
	}
	sort.Slice(sf.APIs, func(i, j int) bool { return sf.APIs[i].RestApi.ID < sf.APIs[j].RestApi.ID })
	data, err := json.Marshal(sf)
	if err != nil {
		return err
	}
	dir := filepath.Dir(e.store.path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".state-*.json")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), e.store.path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
