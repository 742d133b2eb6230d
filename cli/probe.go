package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/browser"
	"github.com/portcullis-dev/portcullis/internal/loopback"
	"github.com/portcullis-dev/portcullis/probe"
	"github.com/portcullis-dev/portcullis/report"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/tokens"
	"github.com/portcullis-dev/portcullis/views"
	"github.com/portcullis-dev/portcullis/workflow"
)

// probeOptions are `portcullis probe`'s inputs.
type probeOptions struct {
	Load   LoadFlags
	Output OutputFlags
	AWS    AWSFlags
	Tokens ProbeTokenFlags
	Path   string

	API     string
	Stage   string
	BaseURL string
	Params  []string
	Origin  string
	Unsafe  bool
	Browser bool
	Debug   bool

	Concurrency int
	RPS         float64
	rpsSet      bool
	Timeout     time.Duration
	Retries     int
}

func newProbeCmd(ios *IOStreams) *cobra.Command {
	o := &probeOptions{}
	cmd := &cobra.Command{
		Use:   "probe PATH --stage NAME",
		Short: "Prove on the wire that protected routes refuse strangers and admit the right users",
		Long: `Probe sends a request matrix to every route of the deployed stage and reads API
Gateway's answers: no token, a garbage token, a forged JWT (the pool's issuer,
a bad signature), an expired token when one is given, valid ID and access
tokens raw and with "Bearer ", a CORS preflight, and the CORS headers on the
401. It tells a real refusal (401) from a route that is not deployed (403
Missing Authentication Token), from a resource policy or WAF (other 403s), and
from an OPEN route (anything else without a valid token).

Only safe requests by default: no request carries a body; POST, PUT, PATCH
and DELETE routes get only the no-token and forged-token requests (with
placeholder path parameters), which the authorizer refuses before any
integration runs. --unsafe sends the other checks to them as well.

The stage is found through API Gateway (the API by its rest_api_id or its
name, then the stage): on AWS its invoke URL is
https://ID.execute-api.REGION.amazonaws.com/STAGE; with --local or
--endpoint-url it is the gateway's http://HOST:PORT/restapis/ID/STAGE/_user_request_.
--base-url skips the lookup (a custom domain, or any gateway).

Tokens are never taken from flag values, never printed and never logged:
  --id-token-env VAR, --access-token-env VAR, --expired-token-env VAR
  --token-file FILE   a JSON object {"id_token": ..., "access_token": ...,
                      "expired_token": ...} (the output of aws cognito-idp
                      initiate-auth works as it is), or one token per line,
                      each token's kind read from its claims
  --username NAME --client-id ID [--password-env VAR]   a Cognito sign-in
                      (USER_PASSWORD_AUTH); without --password-env the
                      password is read from the first line of stdin
With --local (or a loopback target) and no tokens given, valid tokens are
minted per route by the built-in issuer (issuer-key.pem in the local state
directory, see --state-dir), which
the local gateway trusts: the pool of the route's authorizer, the route's
scopes. There --rps defaults to unlimited, and with --local every method gets
the whole matrix (the embedded gateway runs no Lambda).

--browser asks the browser's questions too, from a page at --origin (default:
the first allowed origin) in headless Chromium, where CORS is enforced: does
the preflight pass, is the identity header allowed, can the page read the 401?
They are three more columns (BROWSER-PREFLIGHT, BROWSER-HEADER, BROWSER-401),
for an HTTP API three more cases per JWT route, and findings PC-P020 to PC-P023. Chromium is found on PATH, at
/usr/bin/chromium, or through PORTCULLIS_CHROMIUM (see docs/browser.md).

Exit status: 0 when every route behaves as described, 1 when a finding is an
error (an open route, a route not deployed, a valid token refused, a broken
preflight), 2 when the probe could not run.`,
		Example: `  portcullis probe examples/todo --local
  portcullis probe examples/todo --stage prod \
    --base-url http://127.0.0.1:4567/restapis/abc123/prod/_user_request_
  ID_TOKEN=... portcullis probe api.yaml --stage prod --id-token-env ID_TOKEN --format sarif
  portcullis probe examples/todo --stage prod --username alice --client-id 1example23 --password-env PW`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path = args[0]
			o.rpsSet = cmd.Flags().Changed("rps")
			return runProbe(cmd.Context(), ios, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.API, "api", "", "the API `name` to probe when the description has several")
	f.StringVar(&o.Stage, "stage", "", "the stage `name` (default: the first stage described)")
	f.StringVar(&o.BaseURL, "base-url", "", "the stage's invoke `URL` (a custom domain, or the local gateway's http://HOST:PORT/restapis/ID/STAGE/_user_request_)")
	f.StringArrayVar(&o.Params, "param", nil, "fill a path parameter: `name=value` (repeatable; wins over the description's examples)")
	f.StringVar(&o.Origin, "origin", "", "the Origin sent with every request when the API has CORS, REST or HTTP (default: the first allowed origin)")
	f.BoolVar(&o.Unsafe, "unsafe", false, "send valid tokens to POST, PUT, PATCH and DELETE routes too (still without a body)")
	f.BoolVar(&o.Browser, "browser", false, "also ask headless Chromium, from a page at --origin: preflight allowed, identity header allowed, 401 readable (PORTCULLIS_CHROMIUM names the binary)")
	f.BoolVar(&o.Debug, "debug", false, "print each request and answer on stderr (tokens redacted)")
	f.IntVar(&o.Concurrency, "concurrency", probe.DefaultConcurrency, "requests in flight at most")
	f.Float64Var(&o.RPS, "rps", 20, "requests per second at most (0 = unlimited)")
	f.DurationVar(&o.Timeout, "timeout", probe.DefaultTimeout, "timeout of one request")
	f.IntVar(&o.Retries, "retries", probe.DefaultRetries, "retries of a request that got no answer (answers are never retried)")
	o.Tokens.Register(cmd)
	o.AWS.Register(cmd)
	o.Load.Register(cmd)
	o.Output.Register(cmd, "text", "json", "sarif", "github")
	return cmd
}

func runProbe(ctx context.Context, ios *IOStreams, o *probeOptions) error {
	if err := o.Output.Check(); err != nil {
		return err
	}
	params, err := parseParams(o.Params)
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	t, err := workflow.Load(o.Path, o.Load.Options(ios), o.API)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	if t.HTTPAPI != nil {
		return runProbeHTTP(ctx, ios, o, t, params)
	}
	d, api := t.Desc, t.API
	stage := workflow.StageOf(api, o.Stage)
	if stage == "" {
		return failed("say which stage to probe with --stage (%s describes none)", o.Path)
	}
	base, sess, err := o.target(ctx, ios, api, stage)
	if err != nil {
		return o.Output.Fail(ios, err)
	}
	defer sess.Close()
	local := sess.Local || localTarget(base)
	debug := o.debugf(ios)
	src, err := o.Tokens.Source(ctx, ios, api, local, o.AWS.StateDir, debug)
	if err != nil {
		return failed("%v", err)
	}
	opts := probe.Options{
		API: api, BaseURL: base, Params: params, Tokens: src, Origin: o.Origin, Unsafe: o.Unsafe,
		Concurrency: o.Concurrency, RPS: o.RPS, Timeout: o.Timeout, Retries: o.Retries,
	}
	if local && !o.rpsSet {
		opts.RPS = 0 // nothing to protect on loopback
	}
	// The embedded gateway runs no Lambda and reaches only loopback, so the
	// whole matrix is safe there, as with apply --local --probe.
	opts.Unsafe = opts.Unsafe || sess.Local
	if o.Browser {
		origin := o.Origin
		if origin == "" {
			origin = probe.DefaultOrigin(api.CORS)
		}
		b, err := browser.Launch(ctx, browser.Options{Origin: origin})
		if err != nil {
			return failed("--browser: %v", err)
		}
		defer b.Close()
		opts.Browser = b
	}
	if o.Retries == 0 {
		opts.Retries = -1 // the flag's 0 means none, the option's 0 the default
	}
	if o.Debug {
		opts.Debug = ios.ErrOut
		debug("probing %s stage %s at %s", api.Name, stage, base)
	}
	return probeStage(ctx, ios, &o.Output, d.Files, opts, sess)
}

// parseParams reads the --param flags (name=value) of a REST or an HTTP
// API's probe.
func parseParams(flags []string) (map[string]string, error) {
	params := map[string]string{}
	for _, p := range flags {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, failed("--param wants name=value, got %q", p)
		}
		params[k] = v
	}
	return params, nil
}

// debugf prints one --debug line on stderr; nil without --debug.
func (o *probeOptions) debugf(ios *IOStreams) func(string, ...any) {
	if !o.Debug {
		return nil
	}
	return func(format string, args ...any) { fmt.Fprintf(ios.ErrOut, "probe: "+format+"\n", args...) }
}

// probeStage runs the probe and prints its result in the chosen format;
// `probe` and `apply --probe` (text) share it.
func probeStage(ctx context.Context, ios *IOStreams, out *OutputFlags, files map[string][]byte, opts probe.Options, sess *workflow.Session) error {
	ds, res, err := runProbeMatrix(ctx, ios, opts, sess)
	if err != nil {
		return failed("%v", err)
	}
	r := &report.Report{Diagnostics: ds, Files: files, Color: ios.Color(), Rules: probe.Rules(), ToolVersion: Version}
	switch out.Format {
	case "text":
		err = views.ProbeText(ios.Out, r, res)
	case "json":
		err = views.WriteJSON(ios.Out, views.NewProbeDocument(ds, res))
	case "github":
		r.Diagnostics = views.WithoutPasses(ds)
		err = report.Write(ios.Out, out.Format, r)
	default:
		err = report.Write(ios.Out, out.Format, r)
	}
	if err != nil {
		return failed("%v", err)
	}
	if ds.HasErrors() {
		return findings()
	}
	return nil
}

// runProbeMatrix sends the matrix, with progress on stderr when welcome.
// Against --local's embedded gateway, which stops with this run, the
// findings and the matrix cite the address where `portcullis local serve`
// serves the same stage instead of a port that no longer answers.
func runProbeMatrix(ctx context.Context, ios *IOStreams, opts probe.Options, sess *workflow.Session) (spec.Diagnostics, *probe.Result, error) {
	if ios.Progress() && opts.Debug == nil {
		opts.Progress = progress(ios)
	}
	ds, res, err := probe.Run(ctx, opts)
	fix := localServeCite(ios, sess)
	if err != nil || fix == nil {
		return ds, res, err
	}
	citeIn(ds, fix)
	if res != nil {
		res.BaseURL = fix(res.BaseURL)
		for i := range res.Routes {
			res.Routes[i].URL = fix(res.Routes[i].URL)
		}
	}
	return ds, res, nil
}

// localServeCite is, for a probe of --local's embedded gateway (which stops
// with this run), what rewrites its address to where `portcullis local
// serve` serves the same stage, saying so on stderr; nil for any other
// target. A REST and an HTTP API's probe cite the same address.
func localServeCite(ios *IOStreams, sess *workflow.Session) func(string) string {
	if sess == nil || !sess.Local || sess.EndpointURL == "" {
		return nil
	}
	fmt.Fprintf(ios.ErrOut, "The probe ran against this run's embedded gateway; `portcullis local serve --state %s` serves the same stage at %s, the address cited.\n",
		localStateFile(sess), localServeURL)
	return strings.NewReplacer(sess.EndpointURL, localServeURL).Replace
}

// citeIn rewrites the findings' text with fix.
func citeIn(ds spec.Diagnostics, fix func(string) string) {
	for i := range ds {
		ds[i].Summary, ds[i].Detail = fix(ds[i].Summary), fix(ds[i].Detail)
	}
}

// localServeURL is where `portcullis local serve` listens by default.
const localServeURL = "http://127.0.0.1:4567"

// target is the stage's invoke URL: --base-url, else found through API
// Gateway. The session is closed by the caller (a no-op without one).
func (o *probeOptions) target(ctx context.Context, ios *IOStreams, api *spec.API, stage string) (string, *workflow.Session, error) {
	if o.BaseURL != "" {
		if o.AWS.Local || o.AWS.EndpointURL != "" {
			return "", nil, failed("--base-url names the stage itself: drop --local / --endpoint-url")
		}
		return strings.TrimRight(o.BaseURL, "/"), &workflow.Session{}, nil
	}
	ep, err := o.AWS.Endpoint(ios)
	if err != nil {
		return "", nil, err
	}
	sess, err := workflow.Connect(ctx, ep, api.Region)
	if err != nil {
		return "", nil, err
	}
	base, err := workflow.StageURL(ctx, sess, api, "", stage)
	if err != nil {
		_ = sess.Close()
		return "", nil, err
	}
	return base, sess, nil
}

// localTarget reports whether base's host names this machine, where the
// built-in issuer's tokens are trusted and no rate limit is needed. It
// parses the host: a remote URL that merely contains "localhost" is remote.
func localTarget(base string) bool { return loopback.URL(base) }

func progress(ios *IOStreams) func(done, total int) {
	var bar *progressbar.ProgressBar
	return func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(ios.ErrOut),
				progressbar.OptionSetDescription("probing"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
}

// ProbeTokenFlags say where valid tokens come from. None of them takes a
// token as its value, so tokens never sit in shell history or ps output.
type ProbeTokenFlags struct {
	IDTokenEnv, AccessTokenEnv, ExpiredTokenEnv string
	TokenFile                                   string
	Username, PasswordEnv, ClientID             string
	CognitoEndpoint                             string
	KeyFile                                     string
}

// Register adds the token flags.
func (f *ProbeTokenFlags) Register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.IDTokenEnv, "id-token-env", "", "read a valid ID token from the environment variable `VAR`")
	fl.StringVar(&f.AccessTokenEnv, "access-token-env", "", "read a valid access token from the environment variable `VAR`")
	fl.StringVar(&f.ExpiredTokenEnv, "expired-token-env", "", "read an expired token from the environment variable `VAR`")
	fl.StringVar(&f.TokenFile, "token-file", "", "read tokens from `FILE` (JSON with id_token/access_token/expired_token, or one token per line)")
	fl.StringVar(&f.Username, "username", "", "sign in to Cognito as `NAME` (USER_PASSWORD_AUTH) to get tokens")
	fl.StringVar(&f.PasswordEnv, "password-env", "", "the sign-in password's environment variable `VAR` (default: first line of stdin)")
	fl.StringVar(&f.ClientID, "client-id", "", "the app client `ID` to sign in with")
	fl.StringVar(&f.CognitoEndpoint, "cognito-endpoint", "", "Cognito's endpoint `URL` for the sign-in (e.g. cognito-local)")
	fl.StringVar(&f.KeyFile, "issuer-key", "", "the built-in issuer's key `file`, for tokens minted against the local gateway (default: issuer-key.pem in the local state directory)")
}

func (f *ProbeTokenFlags) given() bool {
	return f.IDTokenEnv != "" || f.AccessTokenEnv != "" || f.ExpiredTokenEnv != "" || f.TokenFile != "" || f.Username != ""
}

// Source gathers the tokens. With none given and a local target, the
// built-in issuer mints them per route.
func (f *ProbeTokenFlags) Source(ctx context.Context, ios *IOStreams, api *spec.API, local bool, stateDir string, debug func(string, ...any)) (probe.TokenSource, error) {
	say := func(format string, args ...any) {
		if debug != nil {
			debug(format, args...)
		}
	}
	if !f.given() {
		if !local {
			say("no tokens given: admission will not be proven")
			return nil, nil
		}
		key, err := keyFile(ios, f.KeyFile, stateDir)
		if err != nil {
			return nil, err
		}
		iss, err := tokens.LoadOrCreateIssuer(key)
		if err != nil {
			return nil, err
		}
		say("tokens: minted per route by the built-in issuer (%s)", key)
		return &probe.Minted{Issuer: iss}, nil
	}
	return f.supplied(ctx, ios, cognitoRegion(api), say)
}

// supplied reads the tokens the flags name; the Cognito sign-in goes to
// region.
func (f *ProbeTokenFlags) supplied(ctx context.Context, ios *IOStreams, region string, say func(string, ...any)) (probe.Supplied, error) {
	getenv := ios.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	var s probe.Supplied
	if f.TokenFile != "" {
		b, err := os.ReadFile(f.TokenFile)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return probe.Supplied{}, fmt.Errorf("--token-file %s: no such file: write the tokens there (the JSON aws cognito-idp initiate-auth prints, or one token per line)", f.TokenFile)
			}
			return probe.Supplied{}, fmt.Errorf("--token-file %s: %w", f.TokenFile, err)
		}
		if s, err = probe.ParseTokenFile(b, time.Now()); err != nil {
			return probe.Supplied{}, fmt.Errorf("%s: %w", f.TokenFile, err)
		}
		say("tokens: read from %s (redacted)", f.TokenFile)
	}
	if f.Username != "" {
		pw, err := f.password(ios, getenv)
		if err != nil {
			return probe.Supplied{}, err
		}
		signed, err := probe.SignIn(ctx, probe.NewCognitoClient(region, f.CognitoEndpoint), f.ClientID, f.Username, pw)
		if err != nil {
			return probe.Supplied{}, err
		}
		s.ID, s.Access = signed.ID, signed.Access
		say("tokens: signed in to Cognito as %s (redacted)", f.Username)
	}
	for _, e := range []struct {
		name string
		dst  *string
	}{{f.IDTokenEnv, &s.ID}, {f.AccessTokenEnv, &s.Access}, {f.ExpiredTokenEnv, &s.Expired}} {
		if e.name == "" {
			continue
		}
		v := strings.TrimSpace(getenv(e.name))
		if v == "" {
			return probe.Supplied{}, fmt.Errorf("environment variable %s is empty or unset", e.name)
		}
		*e.dst = v
		say("tokens: read $%s (redacted)", e.name)
	}
	return s, nil
}

func (f *ProbeTokenFlags) password(ios *IOStreams, getenv func(string) string) (string, error) {
	if f.PasswordEnv != "" {
		pw := getenv(f.PasswordEnv)
		if pw == "" {
			return "", fmt.Errorf("environment variable %s is empty or unset", f.PasswordEnv)
		}
		return pw, nil
	}
	line, err := bufio.NewReader(ios.In).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		if err != nil {
			return "", fmt.Errorf("no password on stdin (or give --password-env VAR): %v", err)
		}
		return "", fmt.Errorf("no password on stdin (or give --password-env VAR)")
	}
	return line, nil
}

// cognitoRegion is the region of the API's first user pool, where the
// sign-in goes; else the API's region.
func cognitoRegion(api *spec.API) string {
	for _, az := range api.Authorizers {
		for _, arn := range az.UserPoolARNs {
			if p, err := tokens.ParsePool(arn); err == nil {
				return p.Region
			}
		}
	}
	if api.Region != "" {
		return api.Region
	}
	return "us-east-1"
}
