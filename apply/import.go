package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/portcullis-dev/portcullis/live"
	"github.com/portcullis-dev/portcullis/spec"
	"github.com/portcullis-dev/portcullis/state"
)

// Import is the second strategy: it pushes a generated OpenAPI document
// with PutRestApi in merge mode with failonwarnings (creating the API
// first when it does not exist), then reads the API back and verifies
// that every described method got the authorization it should. It does
// not deploy: the caller plans again (anything the import did not cover
// is patched) and the plan's one deployment follows.
//
// Merge mode replaces every method the document mentions, integration
// included, so callers must refuse it for routes that declare no
// integration (the generator would put a placeholder MOCK there).
func Import(ctx context.Context, c live.API, want *spec.API, have *state.State, body []byte) (id string, calls int, err error) {
	ctx = context.WithoutCancel(ctx) // the one write in flight completes
	if have == nil {
		// Not idempotent: made once, and looked for after a lost answer
		// (recover.go).
		r := &run{ctx: ctx, c: c, opt: Options{Progress: noProgress{}}, resources: map[string]string{}, authorizers: map[string]string{}}
		err := r.create("CreateRestApi", "api."+want.Name, func(ctx context.Context) error {
			out, err := c.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String(want.Name), Description: nonEmpty(want.Description),
				EndpointConfiguration: &types.EndpointConfiguration{Types: []types.EndpointType{types.EndpointTypeRegional}}}, live.CreateOnce)
			if err == nil {
				r.res.RestAPIID = aws.ToString(out.Id)
			}
			return err
		}, func(ctx context.Context) (bool, error) { return r.findAPI(ctx, want.Name) })
		calls += r.res.Calls
		if ae := (*Error)(nil); errors.As(err, &ae) {
			err = ae.Err
		}
		if err != nil {
			return "", calls, fmt.Errorf("CreateRestApi: %w", err)
		}
		id = r.res.RestAPIID
	} else {
		id = have.RestAPIID
	}
	out, err := c.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: aws.String(id), Body: body, Mode: types.PutModeMerge, FailOnWarnings: true})
	calls++
	if err != nil {
		return id, calls, fmt.Errorf("PutRestApi (merge, failonwarnings): %w; nothing was deployed", err)
	}
	if len(out.Warnings) > 0 {
		return id, calls, fmt.Errorf("PutRestApi warned: %s; nothing was deployed", strings.Join(out.Warnings, "; "))
	}
	got, err := live.Read(ctx, c, id, live.ReadOptions{DeployedStages: []string{}})
	if err != nil {
		return id, calls, err
	}
	if problems := Verify(want, got); len(problems) > 0 {
		return id, calls, fmt.Errorf("the import did not give every method its authorization, so nothing was deployed: %s", strings.Join(problems, "; "))
	}
	return id, calls, nil
}

// Verify lists the described routes whose live method lacks the described
// authorization type, authorizer or scopes.
func Verify(want *spec.API, got *state.State) []string {
	var out []string
	for _, r := range want.Routes {
		m := got.Method(r.Path, r.Method)
		if m == nil {
			out = append(out, r.Key()+" is missing")
			continue
		}
		if m.AuthorizationType != r.AuthType {
			out = append(out, fmt.Sprintf("%s has %s, want %s", r.Key(), m.AuthorizationType, r.AuthType))
			continue
		}
		if r.AuthType != spec.AuthCognito {
			continue
		}
		name := ""
		if a := got.AuthorizerByID(m.AuthorizerID); a != nil {
			name = a.Name
		}
		if name != r.Authorizer {
			out = append(out, fmt.Sprintf("%s uses authorizer %q, want %q", r.Key(), name, r.Authorizer))
		}
		if state.SecurityKey("", m.Scopes) != state.SecurityKey("", r.Scopes) {
			out = append(out, fmt.Sprintf("%s has scopes %v, want %v", r.Key(), m.Scopes, r.Scopes))
		}
	}
	return out
}
