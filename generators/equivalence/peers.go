package equivalence

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/portcullis-dev/portcullis/generators"
	"github.com/portcullis-dev/portcullis/generators/cdk"
	"github.com/portcullis-dev/portcullis/generators/serverless"
)

// The peers are pinned npm packages installed with `npm ci` in a folder
// (peers/<tool> in this repository); each type names that folder. They run
// offline: telemetry and update checks are off, and AWS variables are
// replaced by dummies so that no tool can reach a real account.

// toolTimeout bounds one tool run; the slowest (sls package, CDK synthesis
// of every example) take seconds.
const toolTimeout = 5 * time.Minute

// ErrNotInstalled is returned when a peer folder has no installed tool.
var ErrNotInstalled = errors.New("not installed (run npm ci in the peer folder)")

func bin(dir, name string) (string, error) {
	p, err := filepath.Abs(filepath.Join(dir, "node_modules", ".bin", name))
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("%s: %w", p, ErrNotInstalled)
	}
	return p, nil
}

// peerEnv is the process environment without AWS settings, plus the
// variables that keep the tools quiet and offline.
func peerEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "CDK_") || strings.HasPrefix(k, "SLS_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"AWS_ACCESS_KEY_ID=AKIDPORTCULLISDUMMY", "AWS_SECRET_ACCESS_KEY=portcullis-dummy-secret",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_EC2_METADATA_DISABLED=true",
		"SLS_TELEMETRY_DISABLED=1", "SLS_NOTIFICATIONS_MODE=off", "SLS_DEPRECATION_DISABLE=*",
		"CDK_DISABLE_VERSION_CHECK=1", "CDK_DISABLE_CLI_TELEMETRY=1", "CDK_DEFAULT_ACCOUNT=123456789012", "CDK_DEFAULT_REGION=us-east-1",
		"REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true", "NO_UPDATE_NOTIFIER=1", "NO_COLOR=1", "FORCE_COLOR=0",
	)
	return append(env, extra...)
}

// run runs a tool and returns its standard output; a failure carries both
// outputs, since the tools write their errors to either.
func run(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		out := strings.TrimSpace(stdout.String() + "\n" + stderr.String())
		return stdout.Bytes(), fmt.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, tail(out, 40))
	}
	return stdout.Bytes(), nil
}

func tail(s string, lines int) string {
	l := strings.Split(s, "\n")
	if len(l) > lines {
		l = append([]string{"..."}, l[len(l)-lines:]...)
	}
	return strings.Join(l, "\n")
}

func writeFiles(dir string, files []generators.File) error {
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, f.Content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Serverless is the Serverless Framework v3 installed in Dir. Close
// removes the home folder its runs share.
type Serverless struct {
	Dir string

	once    sync.Once
	home    string
	homeErr error
	warm    sync.Mutex
	warmed  bool
}

// Close removes the runs' home folder.
func (s *Serverless) Close() error {
	if s.home == "" {
		return nil
	}
	return os.RemoveAll(s.home)
}

// Available reports whether sls is installed.
func (s *Serverless) Available() error { _, err := bin(s.Dir, "sls"); return err }

// Print runs `sls print` in service, the folder holding serverless.yml. With
// configValidationMode: error it fails on any configuration the framework
// does not accept.
func (s *Serverless) Print(ctx context.Context, service string) ([]byte, error) {
	return s.run(ctx, service, "print")
}

// Package runs `sls package` in service and returns the CloudFormation
// template it writes.
func (s *Serverless) Package(ctx context.Context, service string) ([]byte, error) {
	if _, err := s.run(ctx, service, "package"); err != nil {
		return nil, err
	}
	return os.ReadFile(filepath.Join(service, ".serverless", "cloudformation-template-update-stack.json"))
}

// run runs sls with a home folder of its own, shared by this value's runs:
// the framework keeps ~/.serverlessrc and a compiled copy of its
// configuration schema there (about 4 s of CPU to build), and a check
// should not write to the user's home. The first run goes alone, so that
// concurrent runs find both files complete.
func (s *Serverless) run(ctx context.Context, service, command string) ([]byte, error) {
	b, err := bin(s.Dir, "sls")
	if err != nil {
		return nil, err
	}
	s.once.Do(func() { s.home, s.homeErr = os.MkdirTemp("", "portcullis-sls-home-") })
	if s.homeErr != nil {
		return nil, s.homeErr
	}
	env := peerEnv("HOME="+s.home, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	s.warm.Lock()
	if !s.warmed {
		defer s.warm.Unlock()
		out, err := run(ctx, service, env, b, command)
		s.warmed = err == nil
		return out, err
	}
	s.warm.Unlock()
	return run(ctx, service, env, b, command)
}

// CDK is aws-cdk-lib, constructs and TypeScript installed in Dir.
type CDK struct{ Dir string }

// Available reports whether tsc and aws-cdk-lib are installed.
func (c *CDK) Available() error {
	if _, err := bin(c.Dir, "tsc"); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.Dir, "node_modules", "aws-cdk-lib", "package.json")); err != nil {
		return fmt.Errorf("aws-cdk-lib: %w", ErrNotInstalled)
	}
	return nil
}

const synthDriver = `// Synthesizes every app folder named on the command line in one process,
// so that aws-cdk-lib loads once; one JSON line per folder.
const path = require("path");
for (const dir of process.argv.slice(2)) {
  process.env.CDK_OUTDIR = path.join(dir, "cdk.out");
  try {
    require(path.resolve(dir, "app.js"));
    console.log(JSON.stringify({ dir }));
  } catch (e) {
    console.log(JSON.stringify({ dir, error: String((e && e.stack) || e) }));
  }
}
`

// SynthAll compiles the CDK apps in the folders apps (each holding the
// generated app.ts and constructs; all under work) with one tsc run, and
// synthesizes them in one node process. It returns, per app, the templates
// by stack name, or the app's error.
func (c *CDK) SynthAll(ctx context.Context, work string, apps []string) ([]map[string][]byte, []error, error) {
	tsc, err := bin(c.Dir, "tsc")
	if err != nil {
		return nil, nil, err
	}
	nm, err := filepath.Abs(filepath.Join(c.Dir, "node_modules"))
	if err != nil {
		return nil, nil, err
	}
	if err := os.Symlink(nm, filepath.Join(work, "node_modules")); err != nil && !os.IsExist(err) {
		return nil, nil, err
	}
	var include []string
	for _, a := range apps {
		rel, err := filepath.Rel(work, a)
		if err != nil {
			return nil, nil, err
		}
		include = append(include, filepath.ToSlash(rel)+"/*.ts")
	}
	tsconfig, _ := json.MarshalIndent(map[string]any{
		"compilerOptions": map[string]any{
			"target": "ES2022", "module": "commonjs", "lib": []string{"es2022"}, "types": []string{"node"},
			"strict": true, "noUnusedLocals": true, "skipLibCheck": true,
		},
		"include": include,
	}, "", "  ")
	if err := os.WriteFile(filepath.Join(work, "tsconfig.json"), tsconfig, 0o644); err != nil {
		return nil, nil, err
	}
	if _, err := run(ctx, work, peerEnv(), tsc, "-p", "."); err != nil {
		return nil, nil, fmt.Errorf("the generated TypeScript does not compile: %w", err)
	}
	if err := os.WriteFile(filepath.Join(work, "synth.js"), []byte(synthDriver), 0o644); err != nil {
		return nil, nil, err
	}
	out, err := run(ctx, work, peerEnv(), "node", append([]string{"synth.js"}, apps...)...)
	if err != nil {
		return nil, nil, err
	}
	failures := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var line struct{ Dir, Error string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Dir != "" {
			failures[line.Dir] = line.Error
		}
	}
	templates := make([]map[string][]byte, len(apps))
	errs := make([]error, len(apps))
	for i, a := range apps {
		msg, ran := failures[a]
		switch {
		case !ran:
			errs[i] = fmt.Errorf("the synthesis driver did not report on %s", a)
			continue
		case msg != "":
			errs[i] = fmt.Errorf("synthesis failed: %s", tail(msg, 20))
			continue
		}
		found, _ := filepath.Glob(filepath.Join(a, "cdk.out", "*.template.json"))
		templates[i] = map[string][]byte{}
		for _, f := range found {
			b, err := os.ReadFile(f)
			if err != nil {
				errs[i] = err
				break
			}
			templates[i][strings.TrimSuffix(filepath.Base(f), ".template.json")] = b
		}
	}
	return templates, errs, nil
}

// Redocly is the Redocly CLI installed in Dir.
type Redocly struct{ Dir string }

// Available reports whether redocly is installed.
func (r *Redocly) Available() error { _, err := bin(r.Dir, "redocly"); return err }

// Problem is one lint finding.
type Problem struct {
	File     string
	Pointer  string
	Rule     string
	Severity string
	Message  string
}

func (p Problem) String() string {
	return fmt.Sprintf("%s %s: %s: %s (%s)", p.File, p.Pointer, p.Severity, p.Message, p.Rule)
}

// Lint runs `redocly lint` once over files with the configuration in
// config ("" = Redocly's recommended rules) and returns every problem.
func (r *Redocly) Lint(ctx context.Context, config string, files ...string) ([]Problem, error) {
	b, err := bin(r.Dir, "redocly")
	if err != nil {
		return nil, err
	}
	args := []string{"lint", "--format=json"}
	if config != "" {
		args = append(args, "--config", config)
	}
	out, runErr := run(ctx, "", peerEnv(), b, append(args, files...)...)
	var problems []Problem
	dec := json.NewDecoder(bytes.NewReader(out))
	reports := 0
	for {
		var rep struct {
			Problems []struct {
				RuleID, Severity, Message string
				Location                  []struct {
					Source  struct{ Ref string }
					Pointer string
				}
			}
		}
		if err := dec.Decode(&rep); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("reading redocly's report: %v (%v)", err, runErr)
		}
		reports++
		for _, p := range rep.Problems {
			pr := Problem{Rule: p.RuleID, Severity: p.Severity, Message: p.Message}
			if len(p.Location) > 0 {
				pr.File, pr.Pointer = p.Location[0].Source.Ref, p.Location[0].Pointer
			}
			problems = append(problems, pr)
		}
	}
	if reports == 0 && runErr != nil {
		return nil, runErr
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].File < problems[j].File })
	return problems, nil
}

func workDir(opts Options, name string) (string, func(), error) {
	dir, err := os.MkdirTemp(opts.WorkDir, "portcullis-"+name+"-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { os.RemoveAll(dir) }, nil
}

// checkServerless packages every API of every input with sls, two at a
// time (the machine has two cores and sls is single-threaded).
// The outputs the external tools make.
const (
	slsName = "serverless (sls package)"
	cdkName = "cdk (synth)"
)

func checkServerless(ctx context.Context, inputs []Input, models []map[string]Surface, opts Options, out []Output) {
	for i := range out {
		out[i] = Output{Name: slsName}
	}
	work, cleanup, err := workDir(opts, "sls")
	if err != nil {
		for i := range out {
			out[i].Err = err.Error()
		}
		return
	}
	defer cleanup()
	g, _ := opts.lookup("serverless")
	type job struct {
		input, api int
		dir        string
	}
	var jobs []job
	results := make([][]APIResult, len(inputs))
	reasons := make([]map[string]string, len(inputs))
	for i, in := range inputs {
		names := apiNames(in.Desc)
		results[i] = make([]APIResult, len(names))
		dir := filepath.Join(work, fmt.Sprint(i))
		files, err := g.Generate(in.Desc, generators.Options{Source: in.Name, Stage: opts.Stage})
		reasons[i] = declared(in.Desc, files)
		paths := serverless.Paths(in.Desc)
		for j, a := range names {
			// sls package refuses to zip a service without code; the
			// handlers are the user's, so one stand-in file will do.
			files = append(files, generators.File{Path: path.Join(path.Dir(paths[a]), "handlers", "placeholder.js"), Content: []byte("// stands in for the service's code\n")})
			jobs = append(jobs, job{i, j, filepath.Join(dir, filepath.FromSlash(path.Dir(paths[a])))})
		}
		if err == nil {
			err = writeFiles(dir, files)
		}
		if err != nil {
			for j, a := range names {
				results[i][j] = APIResult{API: a, Differences: []string{err.Error()}}
			}
			jobs = jobs[:len(jobs)-len(names)]
		}
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, jb := range jobs {
		wg.Add(1)
		go func(jb job) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			a := apiNames(inputs[jb.input].Desc)[jb.api]
			tpl, err := opts.Serverless.Package(ctx, jb.dir)
			if err != nil {
				results[jb.input][jb.api] = APIResult{API: a, Differences: []string{"sls package refused the output: " + err.Error()}}
				return
			}
			got, err := FromCloudFormation(tpl)
			results[jb.input][jb.api] = compareAPI(a, models[jb.input][a], got, err, "cloudformation-template-update-stack.json", reasons[jb.input][a])
		}(jb)
	}
	wg.Wait()
	for i := range inputs {
		out[i].APIs = results[i]
	}
}

// checkCDK synthesizes every API of every input in one tsc run and one
// node process.
func checkCDK(ctx context.Context, inputs []Input, models []map[string]Surface, opts Options, out []Output) {
	for i := range out {
		out[i] = Output{Name: cdkName}
	}
	fail := func(err error) {
		for i := range out {
			out[i].Err = err.Error()
		}
	}
	work, cleanup, err := workDir(opts, "cdk")
	if err != nil {
		fail(err)
		return
	}
	defer cleanup()
	g, _ := opts.lookup("cdk")
	var apps, dirs []int
	var appDirs []string
	results := make([][]APIResult, len(inputs))
	reasons := make([]map[string]string, len(inputs))
	for i, in := range inputs {
		names := apiNames(in.Desc)
		results[i] = make([]APIResult, len(names))
		files, err := g.Generate(in.Desc, generators.Options{Source: in.Name, Stage: opts.Stage})
		reasons[i] = declared(in.Desc, files)
		dir := filepath.Join(work, fmt.Sprintf("app%d", i))
		if err == nil {
			err = writeFiles(dir, files)
		}
		if err != nil {
			for j, a := range names {
				results[i][j] = APIResult{API: a, Differences: []string{err.Error()}}
			}
			continue
		}
		apps = append(apps, i)
		dirs = append(dirs, len(appDirs))
		appDirs = append(appDirs, dir)
	}
	if len(appDirs) > 0 {
		templates, errs, err := opts.CDK.SynthAll(ctx, work, appDirs)
		if err != nil {
			fail(err)
			return
		}
		for k, i := range apps {
			in := inputs[i]
			stacks := cdk.StackNames(in.Desc)
			for j, a := range apiNames(in.Desc) {
				if e := errs[dirs[k]]; e != nil {
					results[i][j] = APIResult{API: a, Differences: []string{e.Error()}}
					continue
				}
				tpl, ok := templates[dirs[k]][stacks[a]]
				if !ok {
					results[i][j] = APIResult{API: a, Differences: []string{"synthesis wrote no stack " + stacks[a]}}
					continue
				}
				got, err := FromCloudFormation(tpl)
				results[i][j] = compareAPI(a, models[i][a], got, err, stacks[a]+".template.json", reasons[i][a])
			}
		}
	}
	for i := range inputs {
		out[i].APIs = results[i]
	}
}
