package apply

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/diff"
	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/plan"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// HTTPImportClient is the part of the apigatewayv2 client the import
// strategy uses: the writes apply makes, the reads, and the two imports.
type HTTPImportClient interface {
	HTTPWriter
	live.HTTPReader
	ImportApi(context.Context, *apigatewayv2.ImportApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.ImportApiOutput, error)
	ReimportApi(context.Context, *apigatewayv2.ReimportApiInput, ...func(*apigatewayv2.Options)) (*apigatewayv2.ReimportApiOutput, error)
}

// ErrImportUnsupported means the gateway does not implement ImportApi.
var ErrImportUnsupported = errors.New("the gateway does not implement ImportApi")

// CheckHTTPImport asks a gateway that is not AWS itself whether it
// implements ImportApi, before ReimportApi is trusted with an existing
// API: it sends ImportApi a body that is no OpenAPI document, which a
// gateway that implements it refuses with a BadRequestException and no
// change. moto 5.2.1 answers an HTML 500 there, and its ReimportApi
// would drop every route's authorization and every stage, so the import
// strategy stops before any change.
func CheckHTTPImport(ctx context.Context, c HTTPImportClient) error {
	_, err := c.ImportApi(ctx, &apigatewayv2.ImportApiInput{Body: aws.String("portcullis: not an OpenAPI definition"), FailOnWarnings: aws.Bool(true)}, live.CreateOnceV2)
	switch {
	case err == nil:
		return fmt.Errorf("%w faithfully: it accepted a body that is no OpenAPI definition", ErrImportUnsupported)
	case live.IsBadRequest(err):
		return nil
	}
	return fmt.Errorf("%w: %v", ErrImportUnsupported, err)
}

// ImportHTTP is the HTTP API import strategy's one write: ImportApi of
// body when the API does not exist yet (have nil), else ReimportApi, which
// replaces the API's routes, integrations, authorizers and CORS in one
// call, with failOnWarnings so that anything the gateway would not take
// as written leaves the API untouched. It then reads the API back and
// verifies every described route's authorization (VerifyHTTP). Stages are
// not in the document: the caller plans again for them and for the one
// deployment a manual stage needs.
//
// ImportApi creates an API, so it is sent once (live.CreateOnceV2) and
// after an ambiguous failure looked for by name; ReimportApi puts a whole
// document and may be repeated.
func ImportHTTP(ctx context.Context, c HTTPImportClient, want *spec.HTTPAPI, have *state.HTTPAPI, body []byte, region, stage string) (got *state.HTTPAPI, calls int, err error) {
	ctx = context.WithoutCancel(ctx) // the one write in flight completes
	r := &httpRun{run: run{ctx: ctx, opt: Options{Progress: noProgress{}}}, c: c}
	var warnings []string
	if have == nil {
		err = r.create("ImportApi", "http_api."+want.Name, func(ctx context.Context) error {
			out, err := c.ImportApi(ctx, &apigatewayv2.ImportApiInput{Body: aws.String(string(body)), Basepath: aws.String("ignore"), FailOnWarnings: aws.Bool(true)}, live.CreateOnceV2)
			if err == nil {
				r.hr.APIID, warnings = aws.ToString(out.ApiId), out.Warnings
			}
			return err
		}, func(ctx context.Context) (bool, error) { return r.findAPI(ctx, want.Name) })
	} else {
		// ReimportApi overwrites every integration with the document's,
		// which carries no parameter mapping: a live mapping would be
		// removed without the plan saying so. The patch strategy's
		// UpdateIntegration leaves it alone.
		if ids := have.MappedIntegrations(); len(ids) > 0 {
			return nil, 0, fmt.Errorf("integration(s) %s of HTTP API %s map parameters (requestParameters or responseParameters), which Portcullis does not describe and ReimportApi would remove; nothing was changed: apply with --strategy patch, which leaves the mapping alone", strings.Join(ids, ", "), have.APIID)
		}
		r.hr.APIID = have.APIID
		err = r.call("ReimportApi", "http_api."+want.Name, func(ctx context.Context) error {
			out, err := c.ReimportApi(ctx, &apigatewayv2.ReimportApiInput{ApiId: aws.String(have.APIID), Body: aws.String(string(body)),
				Basepath: aws.String("ignore"), FailOnWarnings: aws.Bool(true)})
			if err == nil {
				warnings = out.Warnings
			}
			return err
		})
	}
	calls = r.res.Calls
	if ae := (*Error)(nil); errors.As(err, &ae) {
		if live.Ambiguous(ae.Err) {
			// The document may have been taken: it is the described one,
			// and importing it again is safe.
			err = fmt.Errorf("%s (failOnWarnings) got no clear answer: %w; it may have been imported, and nothing was deployed: run apply again", ae.Op, ae.Err)
		} else {
			err = fmt.Errorf("%s (failOnWarnings): %w; nothing was changed", ae.Op, ae.Err)
		}
	}
	if err != nil {
		return nil, calls, err
	}
	id := r.hr.APIID
	if len(warnings) > 0 {
		return nil, calls, fmt.Errorf("the import of HTTP API %s warned (%s) although failOnWarnings was set: verify it with portcullis plan", id, strings.Join(warnings, "; "))
	}
	got, err = live.ReadHTTPAPI(ctx, c, id, region)
	if err != nil {
		return nil, calls, fmt.Errorf("reading HTTP API %s back after the import: %w", id, err)
	}
	if problems := VerifyHTTP(want, got, stage); len(problems) > 0 {
		now := "nothing was deployed"
		if st := got.Stages[stage]; st != nil && st.AutoDeploy {
			now = fmt.Sprintf("stage %q deploys itself, so this is live: repair it with apply --strategy patch", stage)
		}
		return got, calls, fmt.Errorf("the import did not give every route the authorization described (%s); %s", strings.Join(problems, "; "), now)
	}
	return got, calls, nil
}

// VerifyHTTP lists the described routes and authorizers the live API does
// not have as described: a missing route, another authorization type,
// authorizer or scopes, an authorizer with another issuer or audiences;
// and, for an auto-deploying stage whose deployment could be read, a
// route it serves with another authorization.
func VerifyHTTP(want *spec.HTTPAPI, got *state.HTTPAPI, stage string) []string {
	var out []string
	for _, az := range want.Authorizers {
		h := got.AuthorizerByName(az.Name)
		switch {
		case h == nil:
			out = append(out, "authorizer "+az.Name+" is missing")
		case h.Issuer != az.Issuer:
			out = append(out, fmt.Sprintf("authorizer %s has issuer %s, want %s", az.Name, h.Issuer, az.Issuer))
		case !sameStrings(h.Audiences, az.Audiences):
			out = append(out, fmt.Sprintf("authorizer %s has audiences %v, want %v", az.Name, h.Audiences, az.Audiences))
		}
	}
	for _, r := range want.Routes {
		h := got.Route(r.Key)
		if h == nil {
			out = append(out, r.Key+" is missing")
			continue
		}
		name := ""
		if az := got.AuthorizerByID(h.AuthorizerID); az != nil {
			name = az.Name
		}
		if g, w := state.RouteAuth(h.AuthorizationType, name, h.Scopes), state.RouteAuth(r.AuthType, r.Authorizer, r.Scopes); g != w {
			out = append(out, fmt.Sprintf("%s has %s, want %s", r.Key, g, w))
		}
	}
	if st := got.Stages[stage]; st != nil && st.AutoDeploy && st.Deployed != nil {
		for _, r := range want.Routes {
			if g, w := st.Deployed.Auth[r.Key], state.RouteAuth(r.AuthType, r.Authorizer, r.Scopes); g != w {
				out = append(out, fmt.Sprintf("stage %s serves %s with %q, want %q", stage, r.Key, g, w))
			}
		}
	}
	return out
}

func sameStrings(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// HTTPAfterImport plans what an import left against the API it read back
// (stages, their variables, anything the document did not carry) and
// applies it, ending with the one CreateDeployment a stage without
// auto-deploy needs to serve the imported configuration (an
// auto-deploying stage was redeployed by the import itself).
func HTTPAfterImport(ctx context.Context, c HTTPWriter, want *spec.HTTPAPI, got *state.HTTPAPI, stage string, prune bool, opt Options) (*plan.HTTPPlan, HTTPResult, error) {
	p := plan.MakeHTTP(want, got, diff.HTTPOptions{Stage: stage, Prune: prune})
	if p.Stage != "" && !p.AutoDeploy && !p.Deploys() {
		p.Changes = append(p.Changes, diff.HTTPChange{Action: diff.Create, Kind: diff.KindDeployment, Address: "deployment." + p.Stage, Key: p.Stage,
			Fields: []diff.Field{{Name: "description", New: "portcullis apply --strategy import: " + want.Name}}})
	}
	res, err := HTTP(ctx, c, p, got, opt)
	return p, res, err
}
