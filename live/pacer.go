package live

import (
	"context"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
	"golang.org/x/time/rate"
)

// Rate is n calls every Per.
type Rate struct {
	N   int
	Per time.Duration
}

// Limits are the client-side call rates, per operation class and overall.
type Limits struct {
	// Overall bounds every control-plane call together; Burst is its bucket.
	Overall rate.Limit
	Burst   int
	// PerOp bounds single operations that have a quota of their own.
	PerOp map[string]Rate
}

// DefaultLimits are API Gateway's documented per-account control-plane
// limits (developer guide, "Amazon API Gateway quotas"): 10 requests per
// second with a burst of 40 overall; CreateDeployment once every 5 s;
// GetResources 5 every 2 s; PutRestApi once a second; CreateResource and
// DeleteResource 5 a second. They cannot be raised, so pacing at them is
// as fast as an account can go.
func DefaultLimits() Limits {
	return Limits{
		Overall: 10, Burst: 40,
		PerOp: map[string]Rate{
			"CreateDeployment": {1, 5 * time.Second},
			"GetResources":     {5, 2 * time.Second},
			"PutRestApi":       {1, time.Second},
			"CreateResource":   {5, time.Second},
			"DeleteResource":   {5, time.Second},
			"ImportRestApi":    {1, 3 * time.Second},
			"CreateRestApi":    {1, 3 * time.Second},
		},
	}
}

// Scaled divides every interval by 1/f (f = 0.01 runs a hundred times
// faster) so tests keep the shape of the limits without the wait. f <= 0
// turns pacing off.
func (l Limits) Scaled(f float64) Limits {
	if f <= 0 {
		return Limits{Overall: rate.Inf}
	}
	out := Limits{Overall: l.Overall / rate.Limit(f), Burst: l.Burst, PerOp: map[string]Rate{}}
	for op, r := range l.PerOp {
		out.PerOp[op] = Rate{N: r.N, Per: time.Duration(float64(r.Per) * f)}
	}
	return out
}

// Pacer holds one token bucket per operation class. It is a middleware
// placed after the retryer, so every attempt (retries included) waits
// for its token: the account limit counts attempts, not operations.
type Pacer struct {
	overall *rate.Limiter
	perOp   map[string]*rate.Limiter
}

// NewPacer builds the buckets for l.
func NewPacer(l Limits) *Pacer {
	p := &Pacer{overall: rate.NewLimiter(l.Overall, max(l.Burst, 1)), perOp: map[string]*rate.Limiter{}}
	for op, r := range l.PerOp {
		if r.N <= 0 || r.Per <= 0 {
			continue
		}
		p.perOp[op] = rate.NewLimiter(rate.Every(r.Per/time.Duration(r.N)), r.N)
	}
	return p
}

// Wait blocks until op may be sent, or ctx ends.
func (p *Pacer) Wait(ctx context.Context, op string) error {
	if l := p.perOp[op]; l != nil {
		if err := l.Wait(ctx); err != nil {
			return err
		}
	}
	return p.overall.Wait(ctx)
}

// AddToStack installs the pacer on an SDK operation (APIOptions).
func (p *Pacer) AddToStack(stack *middleware.Stack) error {
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("PortcullisPacer",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if err := p.Wait(ctx, awsmiddleware.GetOperationName(ctx)); err != nil {
				return middleware.FinalizeOutput{}, middleware.Metadata{}, err
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}
