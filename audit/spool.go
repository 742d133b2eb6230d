package audit

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// Report is a finished audit: the counts, and the APIs spooled on disk in
// report order (regions sorted, then API name and id). Renderers read the
// APIs back one at a time with Each.
type Report struct {
	Summary Summary
	spools  []*spool
}

// Each calls fn with every API in report order. The result is decoded
// afresh for each call, so fn may keep or change it.
func (r *Report) Each(fn func(*APIResult) error) error {
	for _, sp := range r.spools {
		if err := sp.each(fn); err != nil {
			return err
		}
	}
	return nil
}

// Close removes the spools.
func (r *Report) Close() error {
	var errs []error
	for _, sp := range r.spools {
		errs = append(errs, sp.close())
	}
	r.spools = nil
	return errors.Join(errs...)
}

// spool is one region's results as JSON lines in a temporary file.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	enc *json.Encoder
}

func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "portcullis-audit-*.jsonl")
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriter(f)
	return &spool{f: f, w: w, enc: json.NewEncoder(w)}, nil
}

func (s *spool) write(r *APIResult) error { return s.enc.Encode(r) }

func (s *spool) each(fn func(*APIResult) error) error {
	if err := s.w.Flush(); err != nil {
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	defer s.f.Seek(0, io.SeekEnd)
	dec := json.NewDecoder(bufio.NewReader(s.f))
	for {
		var r APIResult
		if err := dec.Decode(&r); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
}

func (s *spool) close() error {
	name := s.f.Name()
	err := s.f.Close()
	return errors.Join(err, os.Remove(name))
}
