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
	// HTTPAPIs are the HTTP APIs (v2); absent in files written before them.
	HTTPAPIs []*httpAPIState `json:"httpApis,omitempty"`
}

type store struct {
	path string
	// seen is the file this process last wrote or read; any other file
	// at path means another process replaced it (guarded by e.mu).
	seen fileVersion
	// dirty: the last change in memory could not be written, so Shutdown
	// tries once more (never over a newer file).
	dirty bool
}

// fileVersion identifies one version of the state file. Every write
// renames a new file into place, so the identity (inode) changes with
// each version; size and modification time back it up where identity is
// not available. The zero value is "no file".
type fileVersion struct{ fi os.FileInfo }

func (a fileVersion) same(b fileVersion) bool {
	if a.fi == nil || b.fi == nil {
		return a.fi == nil && b.fi == nil
	}
	return os.SameFile(a.fi, b.fi) && a.fi.ModTime().Equal(b.fi.ModTime()) && a.fi.Size() == b.fi.Size()
}

func statVersion(path string) (fileVersion, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileVersion{}, false
	}
	return fileVersion{fi}, true
}

// errStale: the state file was replaced by another process after this
// one last read it; writing would undo that process's change.
var errStale = errors.New("the state file was changed by another process")

// Open returns an emulator whose state is loaded from path (when the file
// exists) and written back atomically after every change.
func Open(path string, opts Options) (*Emulator, error) {
	e := New(opts)
	e.store = &store{path: path}
	apis, httpAPIs, v, err := readState(path, e.opts.Region)
	if err != nil {
		return nil, err
	}
	e.apis, e.httpAPIs, e.store.seen = apis, httpAPIs, v
	return e, nil
}

// readState loads a state file; a missing file is an empty state.
func readState(path, defaultRegion string) (map[string]*apiState, map[string]*httpAPIState, fileVersion, error) {
	apis := map[string]*apiState{}
	httpAPIs := map[string]*httpAPIState{}
	v, _ := statVersion(path)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return apis, httpAPIs, fileVersion{}, nil
	}
	if err != nil {
		return nil, nil, v, err
	}
	var sf stateFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, nil, v, fmt.Errorf("%s: not an emulator state file: %w", path, err)
	}
	if sf.Version != stateVersion {
		return nil, nil, v, fmt.Errorf("%s: state version %d, want %d", path, sf.Version, stateVersion)
	}
	for _, a := range sf.HTTPAPIs {
		if a == nil || a.API.APIID == "" {
			return nil, nil, v, fmt.Errorf("%s: HTTP API without id", path)
		}
		a.fill()
		httpAPIs[a.API.APIID] = a
	}
	for _, a := range sf.APIs {
		if a == nil || a.RestApi.ID == "" {
			return nil, nil, v, fmt.Errorf("%s: API without id", path)
		}
		if a.Region == "" {
			a.Region = defaultRegion
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
		apis[a.RestApi.ID] = a
	}
	return apis, httpAPIs, v, nil
}

// reloadIfChanged picks up a state file another process (a `--local`
// command beside a running `local serve`, say) has replaced since this one
// last wrote or read it. It costs one stat per request.
func (e *Emulator) reloadIfChanged() {
	if e.store == nil {
		return
	}
	v, _ := statVersion(e.store.path)
	e.mu.RLock()
	same := v.same(e.store.seen)
	e.mu.RUnlock()
	if same {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.reloadLocked()
}

// reloadLocked re-reads the state file when it is not the version this
// process last saw (caller holds e.mu). A file that does not load is left
// alone; the next write replaces it. A file deleted from under a running
// gateway keeps the state in memory.
func (e *Emulator) reloadLocked() {
	if e.store == nil {
		return
	}
	if v, ok := statVersion(e.store.path); !ok || v.same(e.store.seen) {
		return
	}
	if apis, httpAPIs, v, err := readState(e.store.path, e.opts.Region); err == nil {
		e.apis, e.httpAPIs, e.store.seen, e.store.dirty = apis, httpAPIs, v, false
	}
}

// persistLocked writes the state file (caller holds e.mu). The file is
// replaced by rename so a crash never leaves half a file.
func (e *Emulator) persistLocked() error {
	if e.store == nil {
		return nil
	}
	// Never over a newer file: callers reload before changing anything,
	// so a different file here was written while this change ran.
	if cur, _ := statVersion(e.store.path); !cur.same(e.store.seen) {
		return errStale
	}
	sf := stateFile{Version: stateVersion, APIs: make([]*apiState, 0, len(e.apis))}
	for _, a := range e.apis {
		sf.APIs = append(sf.APIs, a)
	}
	sort.Slice(sf.APIs, func(i, j int) bool { return sf.APIs[i].RestApi.ID < sf.APIs[j].RestApi.ID })
	for _, a := range e.httpAPIs {
		sf.HTTPAPIs = append(sf.HTTPAPIs, a)
	}
	sort.Slice(sf.HTTPAPIs, func(i, j int) bool { return sf.HTTPAPIs[i].API.APIID < sf.HTTPAPIs[j].API.APIID })
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
	e.store.seen, _ = statVersion(e.store.path)
	e.store.dirty = false
	return nil
}
