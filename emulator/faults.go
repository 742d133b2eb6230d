package emulator

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Faults are failures the emulator produces on demand so that callers'
// retry and partial-failure handling can be tested. The JSON form is what
// the admin endpoint /_portcullis/faults accepts and returns.
type Faults struct {
	// Throttle scales AWS's per-account control-plane rates: 1 enforces
	// them as AWS does (CreateDeployment once per 5 s, ...), 0.01 makes
	// every interval a hundred times shorter, 0 turns throttling off.
	// Each region has its own buckets, as AWS's limits are per account
	// and region. A throttled call gets 429 TooManyRequestsException with
	// Retry-After.
	Throttle float64 `json:"throttle,omitempty"`
	// Inject lists failures to return instead of running an operation.
	Inject []Injection `json:"inject,omitempty"`
}

// Injection fails calls. With Nth = 0 it fails every matching call; with
// Nth = n it fails only the n-th matching call counted from when the
// faults were set (1 is the first). A failed call changes nothing, unless
// After is set: then the operation runs and only its answer is replaced,
// as when AWS applied a change but the response was lost.
type Injection struct {
	// Operation is the API Gateway operation name (CreateDeployment,
	// PutMethod, ...); "" matches every control-plane call.
	Operation string `json:"operation,omitempty"`
	// Region limits the injection to calls signed for one region; ""
	// matches every region.
	Region string `json:"region,omitempty"`
	Nth    int    `json:"nth,omitempty"`
	// Status defaults to 500; ErrorType defaults from the status
	// (ServiceUnavailableException for 503, TooManyRequestsException for
	// 429, ConflictException for 409, BadRequestException for other 4xx,
	// InternalFailure otherwise).
	Status    int    `json:"status,omitempty"`
	ErrorType string `json:"errorType,omitempty"`
	Message   string `json:"message,omitempty"`
	After     bool   `json:"after,omitempty"`
}

// accountRates are API Gateway's per-account control-plane limits (AWS
// limits page): n calls every per.
var accountRates = map[string]struct {
	n   int
	per time.Duration
}{
	"CreateDeployment": {1, 5 * time.Second},
	"CreateResource":   {5, time.Second},
	"DeleteResource":   {5, time.Second},
	"GetResources":     {5, 2 * time.Second},
	"PutRestApi":       {1, time.Second},
	"ImportRestApi":    {1, 3 * time.Second},
	"CreateRestApi":    {1, 3 * time.Second},
	"DeleteRestApi":    {1, 30 * time.Second},
}

// All control-plane calls together: 10 per second, burst 40.
const overallRate, overallBurst = 10, 40

type faultState struct {
	mu       sync.Mutex
	now      func() time.Time
	f        Faults
	counts   []int
	buckets  map[string]*buckets // by region, made on first use
	throttle float64
}

// buckets are one region's token buckets.
type buckets struct {
	overall *rate.Limiter
	perOp   map[string]*rate.Limiter
}

func newBuckets(throttle float64) *buckets {
	b := &buckets{overall: rate.NewLimiter(rate.Limit(overallRate/throttle), overallBurst), perOp: map[string]*rate.Limiter{}}
	for op, r := range accountRates {
		every := time.Duration(float64(r.per) * throttle / float64(r.n))
		b.perOp[op] = rate.NewLimiter(rate.Every(every), r.n)
	}
	return b
}

func newFaultState(f Faults, now func() time.Time) *faultState {
	s := &faultState{now: now}
	s.set(f)
	return s
}

func (s *faultState) set(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.Inject = cloneSlice(f.Inject)
	s.f = f
	s.counts = make([]int, len(f.Inject))
	s.throttle = f.Throttle
	s.buckets = map[string]*buckets{}
}

func (s *faultState) get() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.f
	f.Inject = cloneSlice(f.Inject)
	return f
}

// check decides whether op fails: throttled first, then injected. It
// returns nil when the call may proceed; after reports that the failure
// replaces the answer of an operation that runs anyway.
func (s *faultState) check(op, region string) (err *apiError, after bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.throttle > 0 {
		b := s.buckets[region]
		if b == nil {
			b = newBuckets(s.throttle)
			s.buckets[region] = b
		}
		now := s.now()
		var delay time.Duration
		r1 := b.overall.ReserveN(now, 1)
		delay = r1.DelayFrom(now)
		var r2 *rate.Reservation
		if l := b.perOp[op]; l != nil {
			r2 = l.ReserveN(now, 1)
			delay = max(delay, r2.DelayFrom(now))
		}
		if delay > 0 {
			r1.CancelAt(now)
			if r2 != nil {
				r2.CancelAt(now)
			}
			e := errf(429, "TooManyRequestsException", "Too Many Requests")
			e.retryAfter = delay
			return e, false
		}
	}
	for i, in := range s.f.Inject {
		if in.Operation != "" && in.Operation != op || in.Region != "" && in.Region != region {
			continue
		}
		s.counts[i]++
		if in.Nth != 0 && s.counts[i] != in.Nth {
			continue
		}
		status := in.Status
		if status == 0 {
			status = 500
		}
		typ := in.ErrorType
		if typ == "" {
			switch {
			case status == 503:
				typ = "ServiceUnavailableException"
			case status == 429:
				typ = "TooManyRequestsException"
			case status == 409:
				typ = "ConflictException"
			case status == 404:
				typ = "NotFoundException"
			case status >= 400 && status < 500:
				typ = "BadRequestException"
			default:
				typ = "InternalFailure"
			}
		}
		msg := in.Message
		if msg == "" {
			msg = "Injected failure for " + op
		}
		e := errf(status, typ, "%s", msg)
		if status == 429 || status == 503 {
			e.retryAfter = time.Second
		}
		return e, in.After
	}
	return nil, false
}
