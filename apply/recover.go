package apply

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/live"
)

// API Gateway's creates are not idempotent: when the answer to one is
// lost (a 5xx, a reset connection, a timeout) the object may exist
// anyway, and creating it again makes a second one that no later plan can
// tell apart from the first. So a create is made once (live.CreateOnce
// stops the SDK's blind retry), and after an ambiguous failure apply looks
// for what it asked for, by name (APIs, authorizers) or by parent and path
// part (resources), before it creates again. One found is adopted; more
// than one is a DuplicateError that names them and the way out.

// DuplicateError: several live objects answer to what apply was creating.
// It names them all and says how to keep one.
type DuplicateError struct {
	Kind string   // "REST API", "authorizer", "resource"
	Name string   // the name or path
	IDs  []string // every match
	Fix  string   // what to run or set to keep one
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%d %ss answer to %q (%s), perhaps one made by a call whose answer was lost and one by someone else: %s",
		len(e.IDs), e.Kind, e.Name, strings.Join(e.IDs, ", "), e.Fix)
}

// create runs do once; after an ambiguous failure it asks find whether
// the object exists, and makes it again (once) only when it does not.
func (r *run) create(op, what string, do func(ctx context.Context) error, find func(ctx context.Context) (bool, error)) error {
	return r.call(op, what, func(ctx context.Context) error {
		err := do(ctx)
		for tries := 1; live.Ambiguous(err); tries++ {
			found, ferr := find(ctx)
			if ferr != nil {
				return fmt.Errorf("%w; looking for what it may have made: %w", err, ferr)
			}
			if found {
				r.res.Recovered = append(r.res.Recovered, what)
				return nil
			}
			if tries == 2 {
				break
			}
			err = do(ctx)
		}
		return err
	})
}

func (r *run) findAPI(ctx context.Context, name string) (bool, error) {
	var ids, roots []string
	in := &apigateway.GetRestApisInput{Limit: aws.Int32(500)}
	for {
		out, err := r.c.GetRestApis(ctx, in)
		if err != nil {
			return false, err
		}
		for _, a := range out.Items {
			if aws.ToString(a.Name) == name {
				ids, roots = append(ids, aws.ToString(a.Id)), append(roots, aws.ToString(a.RootResourceId))
			}
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		in.Position = out.Position
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		r.res.RestAPIID, r.resources["/"] = ids[0], roots[0]
		return true, nil
	}
	return false, &DuplicateError{Kind: "REST API", Name: name, IDs: ids, Fix: fmt.Sprintf(
		"set rest_api_id = %q in the description to manage that one (the other stays untouched), or delete the extra one with `aws apigateway delete-rest-api --rest-api-id %s`, then run apply again", ids[0], ids[len(ids)-1])}
}

func (r *run) findAuthorizer(ctx context.Context, name string) (bool, error) {
	var ids []string
	in := &apigateway.GetAuthorizersInput{RestApiId: r.api(), Limit: aws.Int32(500)}
	for {
		out, err := r.c.GetAuthorizers(ctx, in)
		if err != nil {
			return false, err
		}
		for _, a := range out.Items {
			if aws.ToString(a.Name) == name {
				ids = append(ids, aws.ToString(a.Id))
			}
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		in.Position = out.Position
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		r.authorizers[name] = ids[0]
		return true, nil
	}
	var cmds []string
	for _, id := range ids[1:] {
		cmds = append(cmds, fmt.Sprintf("aws apigateway delete-authorizer --rest-api-id %s --authorizer-id %s", r.res.RestAPIID, id))
	}
	return false, &DuplicateError{Kind: "authorizer", Name: name, IDs: ids, Fix: fmt.Sprintf(
		"keep one and delete the others (no method uses them yet), e.g. `%s`, then run apply again", strings.Join(cmds, "` and `"))}
}

func (r *run) findResource(ctx context.Context, parentID, part, fullPath string) (bool, error) {
	var ids []string
	in := &apigateway.GetResourcesInput{RestApiId: r.api(), Limit: aws.Int32(500)}
	for {
		out, err := r.c.GetResources(ctx, in)
		if err != nil {
			return false, err
		}
		for _, res := range out.Items {
			if aws.ToString(res.ParentId) == parentID && aws.ToString(res.PathPart) == part {
				ids = append(ids, aws.ToString(res.Id))
			}
		}
		if out.Position == nil || *out.Position == "" {
			break
		}
		in.Position = out.Position
	}
	switch len(ids) {
	case 0:
		return false, nil
	case 1:
		r.resources[fullPath] = ids[0]
		return true, nil
	}
	// API Gateway refuses a second resource with the same path part, so
	// this is someone else's doing; say so rather than guess.
	return false, &DuplicateError{Kind: "resource", Name: fullPath, IDs: ids, Fix: fmt.Sprintf(
		"delete the extra one with `aws apigateway delete-resource --rest-api-id %s --resource-id %s`, then run apply again", r.res.RestAPIID, ids[len(ids)-1])}
}

// findDeployment reports whether a deployment made since started, with
// this apply's description, is what the stage serves: CreateDeployment
// with a stage name makes the deployment and points the stage at it in
// one call, so that pair is the evidence the lost call was made.
func (r *run) findDeployment(ctx context.Context, stage, description string, started time.Time) (bool, error) {
	out, err := r.c.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: r.api()})
	if err != nil {
		return false, err
	}
	for _, s := range out.Item {
		if aws.ToString(s.StageName) != stage || s.DeploymentId == nil {
			continue
		}
		d, err := r.c.GetDeployment(ctx, &apigateway.GetDeploymentInput{RestApiId: r.api(), DeploymentId: s.DeploymentId})
		if err != nil {
			return false, err
		}
		// Creation times are whole seconds.
		if d.CreatedDate != nil && !d.CreatedDate.Before(started.Truncate(time.Second)) && aws.ToString(d.Description) == description {
			r.res.DeploymentID = aws.ToString(d.Id)
			return true, nil
		}
	}
	return false, nil
}
