package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// InstallHint says how to get a browser, for errors that found none.
const InstallHint = "install Chromium (Debian/Ubuntu: apt-get install chromium; macOS: brew install --cask chromium) or point PORTCULLIS_CHROMIUM at a Chromium or Chrome binary"

// ErrNotFound is returned by Find when no Chromium is installed.
var ErrNotFound = errors.New("no Chromium found: " + InstallHint)

// Find returns the browser to run: $PORTCULLIS_CHROMIUM, else the first
// Chromium or Chrome on PATH, else Debian's /usr/bin/chromium.
func Find() (string, error) {
	if p := os.Getenv("PORTCULLIS_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("PORTCULLIS_CHROMIUM: %w (%s)", err, InstallHint)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium", nil
	}
	return "", ErrNotFound
}

// Flags are the launch flags: headless, and quiet on the network (no
// updates, sync or QUIC of its own), so that the only requests it makes
// are the ones asked for. --no-sandbox lets it run as root in containers.
var Flags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--remote-debugging-pipe"}

// Options say which browser to run and where its page lives.
type Options struct {
	// Path is the browser binary ("" = Find).
	Path string
	// Origin is the page's origin, e.g. https://app.example.com; every
	// request is made from a page there.
	Origin string
	// Timeout bounds the launch and each request (default 20 s).
	Timeout time.Duration
}

// Browser is a running headless Chromium with one page at Options.Origin.
// Its methods are safe for concurrent use; requests run one at a time so
// that Chromium's verdicts are matched to the right request.
type Browser struct {
	origin  string
	timeout time.Duration
	cmd     *exec.Cmd
	profile string
	w       *os.File
	stderr  *limited
	done    chan struct{}

	mu        sync.Mutex
	next      int
	pending   map[int]chan message
	listeners map[int]func(message)
	nextL     int
	session   string
	readErr   error

	fetchMu sync.Mutex
}

type message struct {
	ID        int             `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *protoError     `json:"error,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
}

type protoError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Launch starts the browser and opens a page at o.Origin. Close it.
func Launch(ctx context.Context, o Options) (*Browser, error) {
	u, err := url.Parse(o.Origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return nil, fmt.Errorf("origin %q is not scheme://host[:port]", o.Origin)
	}
	path := o.Path
	if path == "" {
		if path, err = Find(); err != nil {
			return nil, err
		}
	}
	b := &Browser{origin: u.Scheme + "://" + u.Host, timeout: o.Timeout, pending: map[int]chan message{}, listeners: map[int]func(message){},
		stderr: &limited{max: 64 << 10}, done: make(chan struct{})}
	if b.timeout <= 0 {
		b.timeout = 20 * time.Second
	}
	if b.profile, err = os.MkdirTemp("", "portcullis-chromium-"); err != nil {
		return nil, err
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		_ = os.RemoveAll(b.profile)
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		_ = os.RemoveAll(b.profile)
		return nil, err
	}
	args := append(append([]string{}, Flags...), "--user-data-dir="+b.profile, "about:blank")
	b.cmd = exec.Command(path, args...)
	// Chromium reads commands on descriptor 3 and writes on 4.
	b.cmd.ExtraFiles = []*os.File{inR, outW}
	b.cmd.Stderr = b.stderr
	if err := b.cmd.Start(); err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		_ = os.RemoveAll(b.profile)
		return nil, fmt.Errorf("starting %s: %w (%s)", path, err, InstallHint)
	}
	inR.Close()
	outW.Close()
	b.w = inW
	go b.read(outR)
	go func() { _ = b.cmd.Wait(); close(b.done) }()

	if err := b.open(ctx); err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// Origin is the page's origin.
func (b *Browser) Origin() string { return b.origin }

func (b *Browser) read(r *os.File) {
	defer r.Close()
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		raw, err := br.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.readErr = err
			for id, ch := range b.pending {
				close(ch)
				delete(b.pending, id)
			}
			b.mu.Unlock()
			return
		}
		var m message
		if json.Unmarshal(raw[:len(raw)-1], &m) != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.pending[m.ID]; ok {
				delete(b.pending, m.ID)
				ch <- m
			}
			b.mu.Unlock()
			continue
		}
		ls := make([]func(message), 0, len(b.listeners))
		for _, l := range b.listeners {
			ls = append(ls, l)
		}
		b.mu.Unlock()
		for _, l := range ls {
			l(m)
		}
	}
}

// listen calls f with every event until the returned stop is called. f
// runs on the reading goroutine: it must not call the browser.
func (b *Browser) listen(f func(message)) (stop func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.nextL++
	id := b.nextL
	b.listeners[id] = f
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.listeners, id)
	}
}

// call sends a command (to the page's session unless browserLevel) and
// waits for its result.
func (b *Browser) call(ctx context.Context, browserLevel bool, method string, params any, result any) error {
	ch := make(chan message, 1)
	b.mu.Lock()
	if b.readErr != nil {
		b.mu.Unlock()
		return b.gone()
	}
	b.next++
	m := message{ID: b.next, Method: method, SessionID: b.session}
	if browserLevel {
		m.SessionID = ""
	}
	b.pending[m.ID] = ch
	b.mu.Unlock()
	if params != nil {
		p, err := json.Marshal(params)
		if err != nil {
			return err
		}
		m.Params = p
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if _, err := b.w.Write(append(raw, 0)); err != nil {
		return b.gone()
	}
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	select {
	case r, ok := <-ch:
		if !ok {
			return b.gone()
		}
		if r.Error != nil {
			return fmt.Errorf("%s: %s", method, r.Error.Message)
		}
		if result != nil {
			return json.Unmarshal(r.Result, result)
		}
		return nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.pending, m.ID)
		b.mu.Unlock()
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
}

func (b *Browser) gone() error {
	msg := strings.TrimSpace(b.stderr.String())
	if i := strings.LastIndexByte(msg, '\n'); i >= 0 && len(msg) > 600 {
		msg = msg[i+1:]
	}
	if msg != "" {
		return fmt.Errorf("the browser exited: %s", msg)
	}
	return errors.New("the browser exited")
}

// page is the HTML the origin serves while the page loads.
const page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>portcullis probe</title></head><body></body></html>"

// open makes a page and gives it the origin: while it loads, requests to
// the origin are answered here; then interception is switched off (a
// request it intercepts would not meet the server's real CORS answers).
func (b *Browser) open(ctx context.Context) error {
	var target struct {
		TargetID string `json:"targetId"`
	}
	if err := b.call(ctx, true, "Target.createTarget", map[string]any{"url": "about:blank"}, &target); err != nil {
		return err
	}
	var att struct {
		SessionID string `json:"sessionId"`
	}
	if err := b.call(ctx, true, "Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att); err != nil {
		return err
	}
	b.mu.Lock()
	b.session = att.SessionID
	b.mu.Unlock()
	b.grantLocalNetwork(ctx)
	for _, m := range []string{"Network.enable", "Page.enable"} {
		if err := b.call(ctx, false, m, nil, nil); err != nil {
			return err
		}
	}
	if err := b.call(ctx, false, "Fetch.enable", map[string]any{"patterns": []map[string]string{{"urlPattern": b.origin + "/*"}}}, nil); err != nil {
		return err
	}
	paused := make(chan string, 16)
	loaded := make(chan struct{}, 1)
	stop := b.listen(func(m message) {
		switch m.Method {
		case "Fetch.requestPaused":
			var p struct {
				RequestID string `json:"requestId"`
			}
			if json.Unmarshal(m.Params, &p) == nil {
				paused <- p.RequestID
			}
		case "Page.loadEventFired":
			select {
			case loaded <- struct{}{}:
			default:
			}
		}
	})
	defer stop()
	navErr := make(chan error, 1)
	go func() { navErr <- b.call(ctx, false, "Page.navigate", map[string]any{"url": b.origin + "/"}, nil) }()
	deadline := time.After(b.timeout)
	for {
		select {
		case id := <-paused:
			body := map[string]any{"requestId": id, "responseCode": 200,
				"responseHeaders": []map[string]string{{"name": "Content-Type", "value": "text/html; charset=utf-8"}},
				"body":            base64.StdEncoding.EncodeToString([]byte(page))}
			if err := b.call(ctx, false, "Fetch.fulfillRequest", body, nil); err != nil {
				return err
			}
		case err := <-navErr:
			if err != nil {
				return err
			}
		case <-loaded:
			return b.call(ctx, false, "Fetch.disable", nil, nil)
		case <-deadline:
			return errors.New("the page at " + b.origin + " did not load")
		case <-b.done:
			return b.gone()
		}
	}
}

// grantLocalNetwork lets the page's origin reach loopback and private
// addresses (a local gateway): Chromium's Local Network Access refuses
// such requests from a public origin otherwise. The permission's protocol
// names changed between versions; a browser that knows none of them does
// not enforce it.
func (b *Browser) grantLocalNetwork(ctx context.Context) {
	for _, perms := range [][]string{{"localNetworkAccess", "localNetwork", "loopbackNetwork"}, {"localNetworkAccess"}} {
		if b.call(ctx, true, "Browser.grantPermissions", map[string]any{"origin": b.origin, "permissions": perms}, nil) == nil {
			return
		}
	}
}

// Request is one cross-origin call made by the page. Headers beyond the
// CORS-safelisted ones make Chromium send a preflight first.
type Request struct {
	Method  string
	URL     string
	Headers map[string]string
}

// Answer is what the page could see, and Chromium's reason when it could
// see nothing.
type Answer struct {
	// Status is the answer's status when the page could read it; 0 when
	// the call failed.
	Status int `json:"status"`
	// Error is the page's error ("TypeError: Failed to fetch").
	Error string `json:"error,omitempty"`
	// CORSError is Chromium's reason for a CORS failure
	// (corsErrorStatus.corsError: PreflightMissingAllowOriginHeader,
	// HeaderDisallowedByPreflightResponse, MissingAllowOriginHeader, ...);
	// "" when CORS did not block the call.
	CORSError string `json:"cors_error,omitempty"`
	// CORSParameter is the header, method or origin the failure concerns.
	CORSParameter string `json:"cors_parameter,omitempty"`
	// NetError is Chromium's network error (net::ERR_CONNECTION_REFUSED)
	// when the failure was not CORS.
	NetError string `json:"net_error,omitempty"`
	// Preflight is true when Chromium sent a preflight for the call.
	Preflight bool `json:"preflight"`
}

// Readable reports whether the page could read the answer.
func (a Answer) Readable() bool { return a.Status != 0 }

// PreflightFailed reports whether the preflight itself (not the answer
// after it) is what CORS refused.
func (a Answer) PreflightFailed() bool {
	return strings.HasPrefix(a.CORSError, "Preflight") || strings.HasSuffix(a.CORSError, "DisallowedByPreflightResponse") ||
		a.CORSError == "InvalidAllowMethodsPreflightResponse" || a.CORSError == "InvalidAllowHeadersPreflightResponse"
}

// Fetch makes the call from the page and reports what the page saw.
func (b *Browser) Fetch(ctx context.Context, r Request) (Answer, error) {
	b.fetchMu.Lock()
	defer b.fetchMu.Unlock()
	var (
		target = normal(r.URL)
		mu     sync.Mutex
		ours   = map[string]bool{}
		a      Answer
		failed = make(chan struct{}, 1)
	)
	stop := b.listen(func(m message) {
		switch m.Method {
		case "Network.requestWillBeSent":
			var p struct {
				RequestID string `json:"requestId"`
				Type      string `json:"type"`
				Request   struct {
					URL    string `json:"url"`
					Method string `json:"method"`
				} `json:"request"`
				Initiator struct {
					Type string `json:"type"`
				} `json:"initiator"`
			}
			if json.Unmarshal(m.Params, &p) != nil || normal(p.Request.URL) != target {
				return
			}
			mu.Lock()
			ours[p.RequestID] = true
			if p.Type == "Preflight" || p.Initiator.Type == "preflight" {
				a.Preflight = true
			}
			mu.Unlock()
		case "Network.loadingFailed":
			var p struct {
				RequestID       string `json:"requestId"`
				ErrorText       string `json:"errorText"`
				CorsErrorStatus *struct {
					CorsError       string `json:"corsError"`
					FailedParameter string `json:"failedParameter"`
				} `json:"corsErrorStatus"`
			}
			if json.Unmarshal(m.Params, &p) != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if !ours[p.RequestID] {
				return
			}
			if p.CorsErrorStatus != nil && a.CORSError == "" {
				a.CORSError, a.CORSParameter = p.CorsErrorStatus.CorsError, p.CorsErrorStatus.FailedParameter
			} else if p.CorsErrorStatus == nil && a.NetError == "" {
				a.NetError = p.ErrorText
			}
			select {
			case failed <- struct{}{}:
			default:
			}
		}
	})
	defer stop()

	method := r.Method
	if method == "" {
		method = "GET"
	}
	headers := r.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	init, _ := json.Marshal(map[string]any{"method": method, "headers": headers, "mode": "cors", "credentials": "omit",
		"cache": "no-store", "redirect": "manual"})
	urlLit, _ := json.Marshal(r.URL)
	expr := fmt.Sprintf(`(async () => { try { const r = await fetch(%s, %s); return { status: r.status }; } catch (e) { return { error: String(e) }; } })()`, urlLit, init)
	var out struct {
		Result struct {
			Value struct {
				Status int    `json:"status"`
				Error  string `json:"error"`
			} `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	if err := b.call(ctx, false, "Runtime.evaluate", map[string]any{"expression": expr, "awaitPromise": true, "returnByValue": true}, &out); err != nil {
		return Answer{}, err
	}
	if out.ExceptionDetails != nil {
		return Answer{}, fmt.Errorf("the page could not run the request: %s", out.ExceptionDetails.Text)
	}
	if out.Result.Value.Error != "" {
		// The page learns only that the call failed; Chromium's reason
		// arrives as an event, possibly just after.
		select {
		case <-failed:
		case <-time.After(2 * time.Second):
		}
	}
	mu.Lock()
	defer mu.Unlock()
	a.Status, a.Error = out.Result.Value.Status, out.Result.Value.Error
	if a.Status == 0 && a.CORSError == "" && a.NetError == "" {
		// Chromium's reason never came: say nothing about CORS rather
		// than take the failure for a pass.
		a.NetError = "no reason reported: " + a.Error
	}
	return a, nil
}

// normal is a URL as Chromium reports it: scheme and host in lower case,
// no default port, the path escaped.
func normal(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if (u.Scheme == "http" && u.Port() == "80") || (u.Scheme == "https" && u.Port() == "443") {
		u.Host = u.Hostname()
	}
	if u.Path == "" {
		u.Path = "/"
	}
	u.Fragment = ""
	return u.String()
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_ = b.call(ctx, true, "Browser.close", nil, nil)
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.done
	}
	b.w.Close()
	return os.RemoveAll(b.profile)
}

// limited keeps the first max bytes written (Chromium's stderr, for
// errors).
type limited struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (l *limited) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func (l *limited) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.max - l.b.Len(); room > 0 {
		if len(p) > room {
			l.b.Write(p[:room])
		} else {
			l.b.Write(p)
		}
	}
	return len(p), nil
}
