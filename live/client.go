package live

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/smithy-go/logging"
)

// Config says how to reach API Gateway. Zero fields defer to the AWS
// default chain (environment, shared config and profiles, SSO, web
// identity, IMDS), exactly as the AWS CLI does.
type Config struct {
	// Profile selects a shared-config profile (--profile, else AWS_PROFILE).
	Profile string
	// Region is --region, else the description's region; "" leaves it to
	// the chain (AWS_REGION, the profile's region).
	Region string
	// EndpointURL overrides the endpoint (--endpoint-url). Without it the
	// SDK still honours AWS_ENDPOINT_URL_API_GATEWAY and AWS_ENDPOINT_URL.
	EndpointURL string
	// Local means a gateway on loopback (the embedded emulator, `local
	// serve`, LocalStack): fixed dummy credentials so the chain never
	// probes IMDS, and us-east-1 when no region is given.
	Local bool
	// Limits paces calls client-side; nil means API Gateway's documented
	// account limits (DefaultLimits).
	Limits *Limits
	// MaxAttempts per call, retries included (default 10: API Gateway
	// throttles hard, and a failed apply costs more than a slow one).
	MaxAttempts int
	// MaxBackoff caps one retry delay, Retry-After included (default 20s).
	MaxBackoff time.Duration
	// HTTPClient replaces the SDK's (tests).
	HTTPClient *http.Client
}

// NewClient builds the API Gateway client for cfg.
func NewClient(ctx context.Context, cfg Config) (*apigateway.Client, error) {
	awsCfg, err := loadConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return apigateway.NewFromConfig(awsCfg, func(o *apigateway.Options) {
		// Here rather than in awsCfg.BaseEndpoint, where the
		// AWS_ENDPOINT_URL_* variables would override the flag.
		if cfg.EndpointURL != "" {
			o.BaseEndpoint = aws.String(cfg.EndpointURL)
		}
	}), nil
}

// loadConfig is what every API Gateway client shares: the credential
// chain, the region, the retryer, the HTTP client and the pacer (one per
// client: REST and HTTP API calls count against the same account limits,
// but a command uses one kind of client).
func loadConfig(ctx context.Context, cfg Config) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if cfg.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(cfg.Profile))
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.Local {
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("portcullis-local", "portcullis-local", "")))
	}
	attempts := cfg.MaxAttempts
	if attempts <= 0 {
		attempts = 10
	}
	maxBackoff := cfg.MaxBackoff
	if maxBackoff <= 0 {
		maxBackoff = 20 * time.Second
	}
	opts = append(opts, config.WithRetryer(func() aws.Retryer { return NewRetryer(attempts, maxBackoff) }))
	// The SDK's own log lines (the instance metadata service's "falling
	// back to IMDSv1" when there are no credentials) are noise to a CLI
	// user; errors carry what matters.
	opts = append(opts, config.WithLogger(logging.Nop{}))
	if cfg.HTTPClient == nil {
		opts = append(opts, config.WithHTTPClient(awshttp.NewBuildableClient().WithDialerOptions(func(d *net.Dialer) {
			d.Timeout = dialTimeout
		})))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if !cfg.Local {
		if err := checkCredentials(ctx, awsCfg, cfg.Profile); err != nil {
			return aws.Config{}, err
		}
	}
	if awsCfg.Region == "" {
		if !cfg.Local {
			return aws.Config{}, errors.New("no AWS region: pass --region, set region in the description, or set AWS_REGION")
		}
		awsCfg.Region = "us-east-1"
	}
	limits := DefaultLimits()
	if cfg.Limits != nil {
		limits = *cfg.Limits
	}
	if cfg.HTTPClient != nil {
		awsCfg.HTTPClient = cfg.HTTPClient
	}
	awsCfg.APIOptions = append(awsCfg.APIOptions, NewPacer(limits).AddToStack, explain)
	return awsCfg, nil
}

// NewRetryer is the SDK's standard retryer (which already treats
// TooManyRequestsException and LimitExceededException as throttling) with
// more attempts for throttling and few for anything else (otherAttempts),
// none for a refused connection, no retry quota (the pacer keeps us under the limits, so
// a long apply must not run out of retry tokens) and a backoff that waits
// at least as long as API Gateway's Retry-After header asks. The SDK
// itself only reads x-amz-retry-after, which API Gateway does not send.
func NewRetryer(maxAttempts int, maxBackoff time.Duration) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = maxBackoff
		o.RateLimiter = ratelimit.None
		o.Retryables = append([]retry.IsErrorRetryable{noRetryWhenRefused}, o.Retryables...)
		o.Backoff = retryAfterBackoff{inner: retry.NewExponentialJitterBackoff(maxBackoff), max: maxBackoff}
	})
}

type retryAfterBackoff struct {
	inner retry.BackoffDelayer
	max   time.Duration
}

func (b retryAfterBackoff) BackoffDelay(attempt int, err error) (time.Duration, error) {
	if !throttled(err) {
		if attempt >= otherAttempts {
			status, ct, apigw := answer(err)
			return 0, &GaveUpError{Attempts: attempt, Status: status, ContentType: ct, NotAPIGateway: !apigw, Err: err}
		}
		// A short wait: these are not worth minutes (see otherAttempts).
		d, derr := b.inner.BackoffDelay(attempt, err)
		return min(d, 2*time.Second), derr
	}
	d, derr := b.inner.BackoffDelay(attempt, err)
	if derr != nil {
		return d, derr
	}
	if ra, ok := RetryAfter(err); ok && ra > d {
		d = ra
	}
	return min(d, b.max), nil
}

// CreateOnce is the per-call option for API Gateway's creates that are not
// idempotent (CreateRestApi, CreateAuthorizer, CreateResource,
// CreateDeployment): each call makes a new object, so a retry after an
// answer that was lost (a 5xx, a reset connection, a timeout) can make a
// second one. With it the SDK retries only answers that say the request
// was refused (throttling); the caller decides what to do after an
// ambiguous failure, and apply first looks for what it asked for.
// Puts (PutMethod, PutIntegration, ...) replace by key and keep the
// SDK's retries.
func CreateOnce(o *apigateway.Options) {
	if o.Retryer != nil {
		o.Retryer = refusedOnly{o.Retryer}
	}
}

type refusedOnly struct{ aws.Retryer }

func (r refusedOnly) IsErrorRetryable(err error) bool {
	return !Ambiguous(err) && r.Retryer.IsErrorRetryable(err)
}

// Ambiguous reports whether a failed write may nevertheless have been
// made: anything but a 4xx answer (which API Gateway sends before it
// changes anything) leaves it unknown.
func Ambiguous(err error) bool {
	if err == nil {
		return false
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		code := re.HTTPStatusCode()
		return code < 400 || code >= 500
	}
	return true
}

// RetryAfter returns the delay a throttled or unavailable answer asked for
// in its Retry-After header (whole seconds, as API Gateway sends it).
func RetryAfter(err error) (time.Duration, bool) {
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.Response == nil || re.Response.Response == nil {
		return 0, false
	}
	v := re.Response.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	secs, perr := strconv.Atoi(v)
	if perr != nil || secs < 0 {
		return 0, false
	}
	return time.Duration(secs) * time.Second, true
}
