package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/portcullis-dev/portcullis/internal/loopback"
)

// Throttling (429 with Retry-After) is retried as patiently as
// Config.MaxAttempts allows: API Gateway throttles hard and says when to
// come back. Any other retryable failure (a 5xx, a dropped connection, a
// server that does not implement the operation and answers with an HTML
// page) is tried otherAttempts times in all, so a persistent one ends the
// command within seconds rather than minutes. A refused connection is not
// retried at all: nothing is listening, and waiting will not change that.
const otherAttempts = 3

// dialTimeout bounds one TCP connect, so an endpoint that drops packets
// fails as surely as one that refuses them (3 attempts stay under 30 s).
const dialTimeout = 4 * time.Second

// UnreachableError is a call that found nothing listening at the
// endpoint. Its message names the URL and, for a loopback URL, the local
// gateway the user probably meant.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	msg := fmt.Sprintf("nothing is listening at %s (%v)", e.URL, reason(e.Err))
	if loopback.URL(e.URL) {
		msg += "; start the local gateway with `portcullis local serve`, or use --local to run it in-process"
	}
	return msg
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// GaveUpError is a call that kept failing with an answer that is not
// throttling. NotAPIGateway is set when the answer did not look like API
// Gateway's (no JSON error body: an HTML page, say), which is how a server
// that does not implement an operation tends to answer.
type GaveUpError struct {
	Attempts      int
	Status        int
	ContentType   string
	NotAPIGateway bool
	Err           error
}

func (e *GaveUpError) Error() string {
	if e.NotAPIGateway {
		what := fmt.Sprintf("gave up after %d attempts", e.Attempts)
		if e.Attempts == 1 {
			what = "failed"
		}
		return fmt.Sprintf("%s: the server answered HTTP %d (%s), not an API Gateway error; it probably does not implement this operation",
			what, e.Status, e.ContentType)
	}
	return fmt.Sprintf("gave up after %d attempts: %v", e.Attempts, e.Err)
}

func (e *GaveUpError) Unwrap() error { return e.Err }

// refused reports a TCP connection refused (nothing listening).
func refused(err error) bool { return errors.Is(err, syscall.ECONNREFUSED) }

// reason is the innermost network error, without the SDK's layers.
func reason(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return strings.TrimPrefix(op.Err.Error(), "connect: ")
	}
	return err.Error()
}

// noRetryWhenRefused runs before the SDK's own retryables, which would
// otherwise retry a refused connection as a transient one.
var noRetryWhenRefused = retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
	if refused(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
})

// throttled reports an answer API Gateway asks to retry later.
func throttled(err error) bool {
	if IsThrottle(err) {
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == 429
}

// answer describes the HTTP answer behind err: its status, content type
// and whether it looks like API Gateway's (JSON with an error type).
func answer(err error) (status int, contentType string, apiGateway bool) {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil || re.Response.Response == nil {
		return 0, "", true
	}
	h := re.Response.Header
	contentType = h.Get("Content-Type")
	apiGateway = h.Get("X-Amzn-ErrorType") != "" || strings.Contains(contentType, "json")
	if contentType == "" {
		contentType = "no content type"
	}
	return re.HTTPStatusCode(), contentType, apiGateway
}

// explain is a middleware around the retry loop that turns its final
// error into one that says what happened: nothing listening at the URL, or
// a persistent failure that is not API Gateway's. The SDK's OperationError
// around it names the operation. The URL is only known once the endpoint
// is resolved, inside the loop, so a second middleware at the wire
// records it.
func explain(stack *middleware.Stack) error {
	err := stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("PortcullisExplain",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			sent := new(string)
			out, md, err := next.HandleFinalize(context.WithValue(ctx, sentURLKey{}, sent), in)
			if err != nil && refused(err) {
				return out, md, &UnreachableError{URL: *sent, Err: err}
			}
			// A 404 that is not API Gateway's (moto's HTML page for an
			// operation it lacks, such as apigatewayv2 CreateDeployment)
			// is not retried, and the SDK would only say that it could
			// not decode the body.
			if status, ct, apigw := answer(err); err != nil && status == http.StatusNotFound && !apigw {
				return out, md, &GaveUpError{Attempts: 1, Status: status, ContentType: ct, NotAPIGateway: true, Err: err}
			}
			return out, md, err
		}), "Retry", middleware.Before)
	if err != nil {
		return err
	}
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("PortcullisSentURL",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			if sent, ok := ctx.Value(sentURLKey{}).(*string); ok {
				if r, ok := in.Request.(*smithyhttp.Request); ok && r.URL != nil {
					*sent = (&url.URL{Scheme: r.URL.Scheme, Host: r.URL.Host}).String()
				}
			}
			return next.HandleDeserialize(ctx, in)
		}), middleware.After)
}

type sentURLKey struct{}

// credentialsTimeout bounds the credential chain: on a machine that is not
// in AWS, its last link (the instance metadata service) would otherwise
// take seconds to give up.
const credentialsTimeout = 5 * time.Second

// checkCredentials resolves the credential chain once, before any call, so
// a missing credential is one line that says what was tried and how to
// pass one, instead of the SDK's instance-metadata errors on the first
// call.
func checkCredentials(ctx context.Context, cfg aws.Config, profile string) error {
	if cfg.Credentials == nil {
		return errors.New(noCredentials(profile))
	}
	ctx, cancel := context.WithTimeout(ctx, credentialsTimeout)
	defer cancel()
	_, err := cfg.Credentials.Retrieve(ctx)
	switch {
	case err == nil:
		return nil
	case strings.Contains(err.Error(), "ec2imds") || errors.Is(err, context.DeadlineExceeded):
		// The chain's last link failed: nothing earlier had credentials.
		return errors.New(noCredentials(profile))
	default:
		// A link that was configured but failed (an expired SSO session,
		// a bad profile) says more than the summary.
		return fmt.Errorf("%s (%v)", noCredentials(profile), err)
	}
}

func noCredentials(profile string) string {
	p := "the default profile"
	if profile != "" {
		p = fmt.Sprintf("profile %q", profile)
	}
	return "no AWS credentials: tried the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), " + p +
		" of the shared config and credentials files (SSO, web identity and credential_process included) and the ECS/EC2 instance role;" +
		" set those variables, pass --profile NAME (after `aws configure` or `aws sso login`), or use --local or --endpoint-url http://127.0.0.1:PORT for a local gateway"
}

// Unimplemented reports a failure whose answer was not API Gateway's (no
// JSON error body), which is how a gateway that lacks an operation tends
// to answer (moto 5.2.1: an HTML 404 or 500 for the apigatewayv2
// operations it does not have).
func Unimplemented(err error) bool {
	var gu *GaveUpError
	if errors.As(err, &gu) {
		return gu.NotAPIGateway
	}
	status, _, apiGateway := answer(err)
	return status != 0 && !apiGateway
}
