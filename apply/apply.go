package apply

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
)

// Progress hears about every call (a bar on a TTY, lines in CI logs).
type Progress interface {
	// Begin announces how many calls the apply will make.
	Begin(total int)
	// Call reports that a call finished (done of total).
	Call(done int, op, what string)
	// End is called once, whatever happened.
	End()
}

// Options tune Apply.
type Options struct {
	Progress Progress
	// DeployRetries bounds the extra attempts around CreateDeployment when
	// it is still throttled after the SDK's own retries (1 per 5 s per
	// account is easy to hit when several pipelines deploy at once).
	DeployRetries int
	// DeployBackoff is the first wait of those attempts (doubling); the
	// answer's Retry-After wins when longer. Default 5s.
	DeployBackoff time.Duration
}

// Result is what an apply did.
type Result struct {
	RestAPIID string
	// Calls counts the write calls made (successful or not).
	Calls int
	// DeploymentID is the deployment created ("" = none).
	DeploymentID string
	// Recovered lists the creates whose answer was lost and whose object
	// apply found and adopted instead of creating it again.
	Recovered []string
}

// Error is a failed apply: which change, after how many calls. Nothing
// was deployed; re-running plan/apply continues from where it stopped.
type Error struct {
	Change  string
	Op      string
	Done    int
	Total   int
	Err     error
	Stopped bool // cancelled (Ctrl-C) rather than failed
}

func (e *Error) Error() string {
	if e.Stopped {
		return fmt.Sprintf("apply interrupted after %d of %d calls (before %s); nothing was deployed: run apply again to finish", e.Done, e.Total, e.Change)
	}
	return fmt.Sprintf("apply stopped after %d of %d calls: %s %s: %v; nothing was deployed: fix the cause and run apply again (it continues from here)", e.Done, e.Total, e.Op, e.Change, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

type noProgress struct{}

func (noProgress) Begin(int)                {}
func (noProgress) Call(int, string, string) {}
func (noProgress) End()                     {}

// Apply executes p with c. The plan must be fresh (see plan.CheckFresh).
func Apply(ctx context.Context, c live.API, p *plan.Plan, opt Options) (Result, error) {
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	if opt.DeployBackoff <= 0 {
		opt.DeployBackoff = 5 * time.Second
	}
	r := &run{ctx: ctx, c: c, p: p, opt: opt, res: Result{RestAPIID: p.RestAPIID},
		resources: copyMap(p.ResourceIDs), authorizers: copyMap(p.AuthorizerIDs), total: Calls(p)}
	opt.Progress.Begin(r.total)
	defer opt.Progress.End()
	for _, ch := range p.Changes {
		if err := r.change(ch); err != nil {
			return r.res, err
		}
	}
	if p.Deploy != nil {
		if err := r.deploy(p.Deploy); err != nil {
			return r.res, err
		}
	}
	return r.res, nil
}

// Calls is the number of write calls p makes when nothing fails.
func Calls(p *plan.Plan) int {
	n := 0
	for _, ch := range p.Changes {
		n += callsFor(ch)
	}
	if p.Deploy != nil {
		n++
		if variablesByPatch(p.Deploy) {
			n++
		}
	}
	return n
}

func callsFor(ch diff.Change) int {
	switch {
	case ch.Kind == diff.KindMethod && ch.Action == diff.Create:
		return 1 + integrationCalls(ch.Integration)
	case ch.Kind == diff.KindIntegration:
		return integrationCalls(ch.Integration)
	}
	return 1
}

func integrationCalls(in *diff.IntegrationSpec) int {
	if in == nil {
		return 0
	}
	return 1 + len(in.MethodResponses) + len(in.Responses)
}

type run struct {
	ctx         context.Context
	c           live.API
	p           *plan.Plan
	opt         Options
	res         Result
	resources   map[string]string
	authorizers map[string]string
	total       int
}

// call makes one write. The SDK call itself runs with a context that is
// not cancelled by Ctrl-C, so a call in flight completes and the API is
// never left half-written by us; cancellation is honoured between calls.
func (r *run) call(op, what string, fn func(ctx context.Context) error) error {
	if err := r.ctx.Err(); err != nil {
		return &Error{Change: what, Op: op, Done: r.res.Calls, Total: r.total, Err: err, Stopped: true}
	}
	err := fn(context.WithoutCancel(r.ctx))
	r.res.Calls++
	if err != nil {
		return &Error{Change: what, Op: op, Done: r.res.Calls - 1, Total: r.total, Err: err}
	}
	r.opt.Progress.Call(r.res.Calls, op, what)
	return nil
}

func (r *run) api() *string { return aws.String(r.res.RestAPIID) }

func (r *run) change(ch diff.Change) error {
	a := ch.Address
	switch ch.Kind {
	case diff.KindAPI:
		return r.create("CreateRestApi", a, func(ctx context.Context) error {
			out, err := r.c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(ch.API.Name), Description: nonEmpty(ch.API.Description),
				EndpointConfiguration: &types.EndpointConfiguration{Types: []types.EndpointType{types.EndpointTypeRegional}}}, live.CreateOnce)
			if err != nil {
				return err
			}
			r.res.RestAPIID = aws.ToString(out.Id)
			r.resources["/"] = aws.ToString(out.RootResourceId)
			return nil
		}, func(ctx context.Context) (bool, error) { return r.findAPI(ctx, ch.API.Name) })
	case diff.KindAuthorizer:
		switch ch.Action {
		case diff.Create:
			az := ch.Authorizer
			return r.create("CreateAuthorizer", a, func(ctx context.Context) error {
				out, err := r.c.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: r.api(), Name: aws.String(az.Name),
					Type: types.AuthorizerType(az.Type), ProviderARNs: az.ProviderARNs, IdentitySource: aws.String(az.IdentitySource),
					IdentityValidationExpression: nonEmpty(az.ValidationExpression), AuthorizerResultTtlInSeconds: aws.Int32(int32(az.TTLSeconds))}, live.CreateOnce)
				if err != nil {
					return err
				}
				r.authorizers[az.Name] = aws.ToString(out.Id)
				return nil
			}, func(ctx context.Context) (bool, error) { return r.findAuthorizer(ctx, az.Name) })
		case diff.Update:
			ops, err := r.ops(ch.Ops)
			if err != nil {
				return err
			}
			return r.call("UpdateAuthorizer", a, func(ctx context.Context) error {
				_, err := r.c.UpdateAuthorizer(ctx, &apigateway.UpdateAuthorizerInput{RestApiId: r.api(), AuthorizerId: aws.String(ch.ID), PatchOperations: ops})
				return err
			})
		case diff.Delete:
			return r.call("DeleteAuthorizer", a, func(ctx context.Context) error {
				_, err := r.c.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: r.api(), AuthorizerId: aws.String(ch.ID)})
				return err
			})
		}
	case diff.KindResource:
		parent := path.Dir(ch.Path)
		pid := r.resources[parent]
		if pid == "" {
			return &Error{Change: a, Op: "CreateResource", Done: r.res.Calls, Total: r.total, Err: fmt.Errorf("parent resource %s is unknown", parent)}
		}
		return r.create("CreateResource", a, func(ctx context.Context) error {
			out, err := r.c.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: r.api(), ParentId: aws.String(pid), PathPart: aws.String(path.Base(ch.Path))}, live.CreateOnce)
			if err != nil {
				return err
			}
			r.resources[ch.Path] = aws.ToString(out.Id)
			return nil
		}, func(ctx context.Context) (bool, error) { return r.findResource(ctx, pid, path.Base(ch.Path), ch.Path) })
	case diff.KindMethod:
		rid := ch.ID
		if rid == "" {
			rid = r.resources[ch.Path]
		}
		switch ch.Action {
		case diff.Create:
			m := ch.Method
			in := &apigateway.PutMethodInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(ch.Verb),
				AuthorizationType: aws.String(m.AuthType), AuthorizationScopes: m.Scopes, RequestParameters: m.RequestParameters,
				OperationName: nonEmpty(m.OperationName)}
			if m.AuthorizerRef != "" {
				id, err := r.authorizerID(a, m.AuthorizerRef)
				if err != nil {
					return err
				}
				in.AuthorizerId = aws.String(id)
			}
			// The method is created with its authorization in the same
			// call: it is never open, not even before the integration.
			if err := r.call("PutMethod", a, func(ctx context.Context) error {
				_, err := r.c.PutMethod(ctx, in)
				return err
			}); err != nil {
				return err
			}
			return r.integration(a, rid, ch.Verb, ch.Integration)
		case diff.Update:
			ops, err := r.ops(ch.Ops)
			if err != nil {
				return err
			}
			return r.call("UpdateMethod", a, func(ctx context.Context) error {
				_, err := r.c.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(ch.Verb), PatchOperations: ops})
				return err
			})
		case diff.Delete:
			return r.call("DeleteMethod", a, func(ctx context.Context) error {
				_, err := r.c.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(ch.Verb)})
				return err
			})
		}
	case diff.KindIntegration:
		return r.integration(a, ch.ID, ch.Verb, ch.Integration)
	case diff.KindGatewayResponse:
		g := ch.GatewayResponse
		if ch.Action == diff.Delete {
			return r.call("DeleteGatewayResponse", a, func(ctx context.Context) error {
				_, err := r.c.DeleteGatewayResponse(ctx, &apigateway.DeleteGatewayResponseInput{RestApiId: r.api(), ResponseType: types.GatewayResponseType(g.Type)})
				return err
			})
		}
		return r.call("PutGatewayResponse", a, func(ctx context.Context) error {
			_, err := r.c.PutGatewayResponse(ctx, &apigateway.PutGatewayResponseInput{RestApiId: r.api(), ResponseType: types.GatewayResponseType(g.Type),
				StatusCode: nonEmpty(g.StatusCode), ResponseParameters: g.ResponseParameters, ResponseTemplates: g.ResponseTemplates})
			return err
		})
	}
	return nil
}

// integration puts the integration, the method responses its mappings
// need, and the integration responses. A method response that already
// exists is kept (PutMethodResponse answers Conflict for it).
func (r *run) integration(addr, rid, verb string, in *diff.IntegrationSpec) error {
	if in == nil {
		return nil
	}
	put := &apigateway.PutIntegrationInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(verb),
		Type: types.IntegrationType(in.Type), Uri: nonEmpty(in.URI), IntegrationHttpMethod: nonEmpty(in.HTTPMethod),
		PassthroughBehavior: nonEmpty(in.PassthroughBehavior), RequestTemplates: in.RequestTemplates, RequestParameters: in.RequestParameters}
	if in.TimeoutMillis > 0 {
		put.TimeoutInMillis = aws.Int32(int32(in.TimeoutMillis))
	}
	if err := r.call("PutIntegration", addr, func(ctx context.Context) error {
		_, err := r.c.PutIntegration(ctx, put)
		return err
	}); err != nil {
		return err
	}
	for _, mr := range in.MethodResponses {
		params := map[string]bool{}
		for _, h := range mr.Headers {
			params["method.response.header."+h] = false
		}
		if err := r.call("PutMethodResponse", addr, func(ctx context.Context) error {
			_, err := r.c.PutMethodResponse(ctx, &apigateway.PutMethodResponseInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(verb),
				StatusCode: aws.String(mr.StatusCode), ResponseParameters: params})
			if live.IsConflict(err) {
				return nil
			}
			return err
		}); err != nil {
			return err
		}
	}
	for _, ir := range in.Responses {
		if err := r.call("PutIntegrationResponse", addr, func(ctx context.Context) error {
			_, err := r.c.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{RestApiId: r.api(), ResourceId: aws.String(rid), HttpMethod: aws.String(verb),
				StatusCode: aws.String(ir.StatusCode), SelectionPattern: nonEmpty(ir.Pattern), ResponseParameters: ir.ResponseParameters, ResponseTemplates: ir.ResponseTemplates})
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) ops(in []diff.PatchOp) ([]types.PatchOperation, error) {
	out := make([]types.PatchOperation, 0, len(in))
	for _, o := range in {
		v := o.Value
		if o.AuthorizerRef != "" {
			id, err := r.authorizerID(o.Path, o.AuthorizerRef)
			if err != nil {
				return nil, err
			}
			v = id
		}
		out = append(out, types.PatchOperation{Op: types.Op(o.Op), Path: aws.String(o.Path), Value: aws.String(v)})
	}
	return out, nil
}

func (r *run) authorizerID(what, name string) (string, error) {
	if id := r.authorizers[name]; id != "" {
		return id, nil
	}
	return "", &Error{Change: what, Done: r.res.Calls, Total: r.total, Err: fmt.Errorf("authorizer %q has no id (it was neither found nor created)", name)}
}

// deploy makes the one CreateDeployment. The SDK already retried it when
// throttled; it is retried a few more times when still throttled, waiting
// as long as API Gateway asks, since a deployment lost here leaves the
// stage stale. An ambiguous failure is not retried blindly: a deployment
// made since the apply started, with its description, that the stage
// serves is the lost call's.
func (r *run) deploy(d *plan.Deploy) error {
	in := &apigateway.CreateDeploymentInput{RestApiId: r.api(), StageName: aws.String(d.Stage), Description: nonEmpty(d.Description),
		StageDescription: nonEmpty(d.StageDescription)}
	if !variablesByPatch(d) {
		in.Variables = d.Variables
	}
	if err := r.createDeployment(d, in); err != nil {
		return err
	}
	if !variablesByPatch(d) {
		return nil
	}
	var ops []types.PatchOperation
	for _, k := range slices.Sorted(maps.Keys(d.Variables)) {
		ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/variables/" + k), Value: aws.String(d.Variables[k])})
	}
	return r.call("UpdateStage", "stage."+d.Stage, func(ctx context.Context) error {
		_, err := r.c.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: r.api(), StageName: aws.String(d.Stage), PatchOperations: ops})
		return err
	})
}

// variablesByPatch: the described variables of an existing stage are set
// with UpdateStage (replace /variables/NAME, documented per key), not with
// CreateDeployment's variables, whose effect on an existing stage's other
// variables the API reference does not settle: our gateway merges them,
// moto replaces them all (docs/live.md, UNCONFIRMED for AWS). Setting only
// the described keys is right under either, and keeps variables the
// description does not mention. A new stage gets them at creation.
func variablesByPatch(d *plan.Deploy) bool { return d.StageExists && len(d.Variables) > 0 }

func (r *run) createDeployment(d *plan.Deploy, in *apigateway.CreateDeploymentInput) error {
	wait := r.opt.DeployBackoff
	started := time.Now()
	return r.create("CreateDeployment", "stage."+d.Stage, func(ctx context.Context) error {
		for attempt := 0; ; attempt++ {
			out, err := r.c.CreateDeployment(ctx, in, live.CreateOnce)
			if err == nil {
				r.res.DeploymentID = aws.ToString(out.Id)
				return nil
			}
			if !live.IsThrottle(err) || live.Ambiguous(err) || attempt >= r.opt.DeployRetries {
				return err
			}
			w := wait
			if ra, ok := live.RetryAfter(err); ok && ra > w {
				w = ra
			}
			select {
			case <-time.After(w):
			case <-r.ctx.Done():
				return errors.Join(err, r.ctx.Err())
			}
			wait *= 2
		}
	}, func(ctx context.Context) (bool, error) { return r.findDeployment(ctx, d.Stage, d.Description, started) })
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func copyMap(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Summary is one line for logs: what an apply did.
func (res Result) Summary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d write call(s)", res.Calls)
	if res.DeploymentID != "" {
		fmt.Fprintf(&b, ", deployment %s", res.DeploymentID)
	} else {
		b.WriteString(", no deployment")
	}
	return b.String()
}
