package emulator

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

var stageNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)

var stageVariableNameRE = regexp.MustCompile(`^[a-zA-Z0-9_]{1,64}$`)

// deploymentWire is a Deployment on the wire; apiSummary only with
// embed=apisummary, and then always ({} for a deployment without methods),
// so a reader can tell "no methods" from "not asked".
type deploymentWire struct {
	ID          string                                    `json:"id"`
	Description string                                    `json:"description,omitempty"`
	CreatedDate int64                                     `json:"createdDate"`
	APISummary  *map[string]map[string]methodSnapshotWire `json:"apiSummary,omitempty"`
}

type methodSnapshotWire struct {
	AuthorizationType string `json:"authorizationType"`
	APIKeyRequired    bool   `json:"apiKeyRequired"`
}

func deploymentOut(d *Deployment, summary bool) deploymentWire {
	w := deploymentWire{ID: d.ID, Description: d.Description, CreatedDate: d.CreatedDate}
	if summary && d.Snapshot != nil {
		sum := map[string]map[string]methodSnapshotWire{}
		w.APISummary = &sum
		for _, r := range d.Snapshot.Resources {
			if len(r.Methods) == 0 {
				continue
			}
			verbs := map[string]methodSnapshotWire{}
			for v, m := range r.Methods {
				verbs[v] = methodSnapshotWire{AuthorizationType: m.AuthorizationType, APIKeyRequired: m.APIKeyRequired}
			}
			sum[r.Path] = verbs
		}
	}
	return w
}

func (a *apiState) newDeploymentID() string {
	for {
		id := newID(6)
		if a.Deployments[id] == nil {
			return id
		}
	}
}

// stageVariableValueRE is what both APIs' references allow in a stage
// variable's value (CreateStage's variables, apigatewayv2's
// stageVariables): [A-Za-z0-9-._~:/?#&=,]+.
var stageVariableValueRE = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]+$`)

func checkStageVariables(vars map[string]string) *apiError {
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		if !stageVariableNameRE.MatchString(k) {
			return badRequest("Stage variable names must be alphanumeric or underscore, at most 64 characters: %q", k)
		}
		if !stageVariableValueRE.MatchString(vars[k]) {
			return badRequest("Stage variable value of %s must match [A-Za-z0-9-._~:/?#&=,]+: %q", k, vars[k])
		}
	}
	return nil
}

func opCreateDeployment(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	var in struct {
		StageName           string            `json:"stageName"`
		StageDescription    string            `json:"stageDescription"`
		Description         string            `json:"description"`
		CacheClusterEnabled bool              `json:"cacheClusterEnabled"`
		CacheClusterSize    string            `json:"cacheClusterSize"`
		Variables           map[string]string `json:"variables"`
		TracingEnabled      bool              `json:"tracingEnabled"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	methods := 0
	for _, r := range a.Resources {
		for _, verb := range sortedVerbs(r) {
			methods++
			if r.Methods[verb].Integration == nil {
				return nil, badRequest("No integration defined for method")
			}
		}
	}
	if methods == 0 {
		return nil, badRequest("The REST API doesn't contain any methods")
	}
	if err := checkStageVariables(in.Variables); err != nil {
		return nil, err
	}
	var st *Stage
	if in.StageName != "" {
		if !stageNameRE.MatchString(in.StageName) {
			return nil, badRequest("Stage name only allows a-zA-Z0-9_- and at most 128 characters")
		}
		if st = a.Stages[in.StageName]; st == nil && len(a.Stages) >= e.limits.StagesPerAPI {
			return nil, limitExceeded("Cannot exceed the limit of %d stages per API", e.limits.StagesPerAPI)
		}
	}
	now := e.now().Unix()
	d := &Deployment{ID: a.newDeploymentID(), Description: in.Description, CreatedDate: now, Snapshot: a.snapshot()}
	a.Deployments[d.ID] = d
	if in.StageName != "" {
		if st == nil {
			st = &Stage{StageName: in.StageName, CreatedDate: now, MethodSettings: map[string]MethodSettings{},
				CacheClusterEnabled: in.CacheClusterEnabled, CacheClusterSize: in.CacheClusterSize,
				TracingEnabled: in.TracingEnabled, CacheClusterStatus: "NOT_AVAILABLE"}
			a.Stages[in.StageName] = st
		} else {
			st = cloneStage(st)
			a.Stages[in.StageName] = st
		}
		st.DeploymentID = d.ID
		st.LastUpdatedDate = now
		if in.StageDescription != "" {
			st.Description = in.StageDescription
		}
		for k, v := range in.Variables {
			if st.Variables == nil {
				st.Variables = map[string]string{}
			}
			st.Variables[k] = v
		}
	}
	return created(deploymentOut(d, false))
}

func (a *apiState) deploymentsSorted() []*Deployment {
	out := make([]*Deployment, 0, len(a.Deployments))
	for _, d := range a.Deployments {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].CreatedDate != out[j].CreatedDate {
			return out[i].CreatedDate < out[j].CreatedDate
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func opGetDeployments(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	ds := a.deploymentsSorted()
	items := make([]deploymentWire, len(ds))
	for i, d := range ds {
		items[i] = deploymentOut(d, false)
	}
	c, err := page(q, items)
	if err != nil {
		return nil, err
	}
	return ok(c)
}

func (e *Emulator) deployment(q *req) (*apiState, *Deployment, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, nil, err
	}
	d := a.Deployments[q.params[1]]
	if d == nil {
		return nil, nil, notFound("Invalid Deployment identifier specified")
	}
	return a, d, nil
}

func opGetDeployment(e *Emulator, q *req) (*reply, *apiError) {
	_, d, err := e.deployment(q)
	if err != nil {
		return nil, err
	}
	summary := false
	for _, v := range q.query["embed"] {
		for _, p := range strings.Split(v, ",") {
			summary = summary || strings.EqualFold(p, "apisummary")
		}
	}
	return ok(deploymentOut(d, summary))
}

func opUpdateDeployment(e *Emulator, q *req) (*reply, *apiError) {
	a, d, err := e.deployment(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	desc := d.Description
	for _, op := range ops {
		if !op.is("replace", "/description") {
			return nil, op.invalid()
		}
		desc = op.Value
	}
	// The snapshot is shared with readers; the record is replaced instead.
	n := *d
	n.Description = desc
	a.Deployments[d.ID] = &n
	return ok(deploymentOut(&n, false))
}

func opDeleteDeployment(e *Emulator, q *req) (*reply, *apiError) {
	a, d, err := e.deployment(q)
	if err != nil {
		return nil, err
	}
	for _, st := range a.Stages {
		if st.DeploymentID == d.ID {
			return nil, badRequest("Active stages pointing to this deployment must be moved or deleted")
		}
	}
	delete(a.Deployments, d.ID)
	return accepted()
}

// Stages.

func opCreateStage(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	var in struct {
		StageName           string            `json:"stageName"`
		DeploymentID        string            `json:"deploymentId"`
		Description         string            `json:"description"`
		CacheClusterEnabled bool              `json:"cacheClusterEnabled"`
		CacheClusterSize    string            `json:"cacheClusterSize"`
		Variables           map[string]string `json:"variables"`
		TracingEnabled      bool              `json:"tracingEnabled"`
		Tags                map[string]string `json:"tags"`
	}
	if err := q.decode(&in); err != nil {
		return nil, err
	}
	if !stageNameRE.MatchString(in.StageName) {
		return nil, badRequest("Stage name only allows a-zA-Z0-9_- and at most 128 characters")
	}
	if a.Deployments[in.DeploymentID] == nil {
		return nil, notFound("Invalid Deployment identifier specified")
	}
	if a.Stages[in.StageName] != nil {
		return nil, conflict("Stage already exists")
	}
	if len(a.Stages) >= e.limits.StagesPerAPI {
		return nil, limitExceeded("Cannot exceed the limit of %d stages per API", e.limits.StagesPerAPI)
	}
	if err := checkStageVariables(in.Variables); err != nil {
		return nil, err
	}
	now := e.now().Unix()
	st := &Stage{
		StageName: in.StageName, DeploymentID: in.DeploymentID, Description: in.Description,
		Variables: in.Variables, TracingEnabled: in.TracingEnabled, CacheClusterEnabled: in.CacheClusterEnabled,
		CacheClusterSize: in.CacheClusterSize, CacheClusterStatus: "NOT_AVAILABLE", Tags: in.Tags,
		MethodSettings: map[string]MethodSettings{}, CreatedDate: now, LastUpdatedDate: now,
	}
	a.Stages[st.StageName] = st
	return created(st)
}

func opGetStages(e *Emulator, q *req) (*reply, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, err
	}
	dep := q.query.Get("deploymentId")
	items := []*Stage{}
	for _, st := range a.Stages {
		if dep == "" || st.DeploymentID == dep {
			items = append(items, st)
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].StageName < items[j].StageName })
	// Stages are not paged: the model has item and no position.
	return ok(struct {
		Item []*Stage `json:"item"`
	}{items})
}

func (e *Emulator) stage(q *req) (*apiState, *Stage, *apiError) {
	a, err := e.api(q, q.params[0])
	if err != nil {
		return nil, nil, err
	}
	st := a.Stages[q.params[1]]
	if st == nil {
		return nil, nil, notFound("Invalid stage identifier specified")
	}
	return a, st, nil
}

func opGetStage(e *Emulator, q *req) (*reply, *apiError) {
	_, st, err := e.stage(q)
	if err != nil {
		return nil, err
	}
	return ok(st)
}

// methodSettingPaths maps the trailing segments of an UpdateStage method
// setting path to a setter.
var methodSettingPaths = map[string]func(*MethodSettings, string) *apiError{
	"metrics/enabled": func(m *MethodSettings, v string) *apiError {
		return setBool(&m.MetricsEnabled, v)
	},
	"logging/loglevel": func(m *MethodSettings, v string) *apiError {
		if v != "OFF" && v != "ERROR" && v != "INFO" {
			return badRequest("Invalid logging level: %s", v)
		}
		m.LoggingLevel = v
		return nil
	},
	"logging/dataTrace": func(m *MethodSettings, v string) *apiError {
		return setBool(&m.DataTraceEnabled, v)
	},
	"throttling/burstLimit": func(m *MethodSettings, v string) *apiError {
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return badRequest("Invalid burst limit: %s", v)
		}
		m.ThrottlingBurstLimit = int32(n)
		return nil
	},
	"throttling/rateLimit": func(m *MethodSettings, v string) *apiError {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return badRequest("Invalid rate limit: %s", v)
		}
		m.ThrottlingRateLimit = f
		return nil
	},
	"caching/enabled": func(m *MethodSettings, v string) *apiError {
		return setBool(&m.CachingEnabled, v)
	},
}

func setBool(b *bool, v string) *apiError {
	x, err := strconv.ParseBool(v)
	if err != nil {
		return badRequest("Invalid boolean value: %s", v)
	}
	*b = x
	return nil
}

func opUpdateStage(e *Emulator, q *req) (*reply, *apiError) {
	a, st, err := e.stage(q)
	if err != nil {
		return nil, err
	}
	ops, err := q.patchOps()
	if err != nil {
		return nil, err
	}
	n := cloneStage(st)
	if n.MethodSettings == nil {
		n.MethodSettings = map[string]MethodSettings{}
	}
	for _, op := range ops {
		switch {
		case op.is("replace", "/deploymentId"):
			if a.Deployments[op.Value] == nil {
				return nil, badRequest("Invalid deployment identifier specified: %s", op.Value)
			}
			n.DeploymentID = op.Value
		case op.is("replace", "/description"):
			n.Description = op.Value
		case op.is("replace", "/tracingEnabled"):
			if err := setBool(&n.TracingEnabled, op.Value); err != nil {
				return nil, err
			}
		case op.is("replace", "/cacheClusterEnabled"):
			if err := setBool(&n.CacheClusterEnabled, op.Value); err != nil {
				return nil, err
			}
		case op.is("replace", "/cacheClusterSize"):
			n.CacheClusterSize = op.Value
		case op.under("remove", "/variables/"):
			delete(n.Variables, op.key("/variables/"))
		case op.under("replace", "/variables/"), op.under("add", "/variables/"):
			k := op.key("/variables/")
			if err := checkStageVariables(map[string]string{k: op.Value}); err != nil {
				return nil, err
			}
			if n.Variables == nil {
				n.Variables = map[string]string{}
			}
			n.Variables[k] = op.Value
		default:
			if !applyMethodSetting(n, op) {
				return nil, op.invalid()
			}
		}
	}
	if len(n.Variables) == 0 {
		n.Variables = nil
	}
	n.LastUpdatedDate = e.now().Unix()
	a.Stages[n.StageName] = n
	return ok(n)
}

// applyMethodSetting handles /{resourcePath}/{httpMethod}/{group}/{name}
// (resourcePath may contain "/" itself; "*/*" means all methods).
func applyMethodSetting(st *Stage, op patchOp) bool {
	if op.Op != "replace" {
		return false
	}
	segs := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
	if len(segs) < 4 {
		return false
	}
	set := methodSettingPaths[strings.Join(segs[len(segs)-2:], "/")]
	if set == nil {
		return false
	}
	key := unescapePointer(strings.Join(segs[:len(segs)-2], "/"))
	ms := st.MethodSettings[key]
	if set(&ms, op.Value) != nil {
		return false
	}
	st.MethodSettings[key] = ms
	return true
}

func opDeleteStage(e *Emulator, q *req) (*reply, *apiError) {
	a, st, err := e.stage(q)
	if err != nil {
		return nil, err
	}
	delete(a.Stages, st.StageName)
	return accepted()
}

func opFlushStageAuthorizersCache(e *Emulator, q *req) (*reply, *apiError) {
	_, st, err := e.stage(q)
	if err != nil {
		return nil, err
	}
	e.flushGen[q.params[0]+"/"+st.StageName]++
	return accepted()
}
