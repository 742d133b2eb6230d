package audit

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/live"
)

// envGateway makes the test binary a local gateway (see TestMain), so the
// benchmark measures the audit's memory without the gateway's state in
// the same heap.
const envGateway = "PORTCULLIS_AUDIT_BENCH_GATEWAY"

func TestMain(m *testing.M) {
	if os.Getenv(envGateway) != "" {
		e := emulator.New(emulator.Options{})
		url, err := e.Start("127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if p := os.Getenv(envGateway + "_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err == nil && pprof.StartCPUProfile(f) == nil {
				defer pprof.StopCPUProfile()
			}
		}
		fmt.Println(url)
		// Serve until the parent closes our stdin.
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		_ = e.Close()
		pprof.StopCPUProfile()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// benchRegions are the four regions of the scale benchmark.
var benchRegions = []string{"ap-southeast-2", "eu-west-1", "us-east-1", "us-west-2"}

// benchScale scales AWS's limits for the benchmark: 1 is AWS's own,
// 0.5 makes every interval half as long (PORTCULLIS_AUDIT_BENCH_SCALE).
func benchScale() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("PORTCULLIS_AUDIT_BENCH_SCALE"), 64); err == nil && v > 0 {
		return v
	}
	return 1
}

// benchConcurrency is Options.PerRegion (PORTCULLIS_AUDIT_BENCH_CONCURRENCY,
// default the audit's own default).
func benchConcurrency() int {
	n, _ := strconv.Atoi(os.Getenv("PORTCULLIS_AUDIT_BENCH_CONCURRENCY"))
	return n
}

type childGateway struct {
	url  string
	cmd  *exec.Cmd
	stop func()
}

func startChildGateway(b *testing.B) *childGateway {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envGateway+"=1")
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("gateway did not start: %v", err)
	}
	g := &childGateway{url: strings.TrimSpace(line), cmd: cmd}
	g.stop = func() { in.Close(); _ = cmd.Wait() }
	b.Cleanup(g.stop)
	return g
}

func (g *childGateway) client(region string, limits live.Limits, attempts int, backoff time.Duration) (*apigateway.Client, error) {
	return live.NewClient(context.Background(), live.Config{Region: region, EndpointURL: g.url, Local: true, Limits: &limits, MaxAttempts: attempts, MaxBackoff: backoff})
}

func (g *childGateway) admin(b *testing.B, method, path, body string, out any) {
	b.Helper()
	req, _ := http.NewRequest(method, g.url+path, strings.NewReader(body))
	req.Header.Set(emulator.AdminHeader, "1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		b.Fatalf("%s %s: %d", method, path, resp.StatusCode)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			b.Fatal(err)
		}
	}
}

// seedScale imports apis APIs of 300 resources each (the quota: the root
// and 299 paths, one GET each, every tenth open), spread evenly over the
// regions, each deployed to stage prod.
func (g *childGateway) seedScale(b *testing.B, apis int) {
	b.Helper()
	off := live.DefaultLimits().Scaled(0)
	var wg sync.WaitGroup
	errs := make(chan error, len(benchRegions))
	for ri, region := range benchRegions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := g.client(region, off, 1, time.Millisecond)
			if err != nil {
				errs <- err
				return
			}
			for i := ri; i < apis; i += len(benchRegions) {
				api, err := c.ImportRestApi(context.Background(), &apigateway.ImportRestApiInput{Body: openAPI(fmt.Sprintf("api-%03d", i), 299, 10)})
				if err != nil {
					errs <- err
					return
				}
				if _, err := c.CreateDeployment(context.Background(), &apigateway.CreateDeploymentInput{RestApiId: api.Id, StageName: aws.String("prod")}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
}

// floor is the least wall time the scaled account limits allow for the
// calls in log: per region, the overall bucket and each operation's
// bucket must each have released one token per call beyond its burst;
// regions run in parallel, so the audit's floor is the slowest region's.
func floor(log []emulator.Call, limits live.Limits) (time.Duration, map[string]int) {
	byRegion := map[string]map[string]int{}
	total := map[string]int{}
	for _, c := range log {
		if c.Status == http.StatusTooManyRequests {
			continue
		}
		if byRegion[c.Region] == nil {
			byRegion[c.Region] = map[string]int{}
		}
		byRegion[c.Region][c.Operation]++
		total[c.Region]++
	}
	var worst time.Duration
	for region, ops := range byRegion {
		need := time.Duration(float64(max(total[region]-limits.Burst, 0)) / float64(limits.Overall) * float64(time.Second))
		for op, n := range ops {
			if r, ok := limits.PerOp[op]; ok {
				need = max(need, time.Duration(max(n-r.N, 0))*r.Per/time.Duration(r.N))
			}
		}
		worst = max(worst, need)
	}
	return worst, total
}

// heapSampler records the largest live-object heap seen while it runs.
type heapSampler struct {
	peak atomic.Uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func sampleHeap() *heapSampler {
	s := &heapSampler{done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > s.peak.Load() {
				s.peak.Store(v)
			}
			select {
			case <-s.done:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *heapSampler) stop() uint64 { close(s.done); s.wg.Wait(); return s.peak.Load() }

// benchAudit audits apis APIs x 300 resources over four regions on a
// gateway that throttles at AWS's account limits scaled by benchScale,
// with the audit paced at the same limits. It reports the wall time, the
// floor the limits allow for the calls made, their ratio, the calls, the
// throttled attempts and the audit's peak heap.
func benchAudit(b *testing.B, apis int) {
	if testing.Short() {
		b.Skip("seeds a large account")
	}
	g := startChildGateway(b)
	g.seedScale(b, apis)
	scale := benchScale()
	limits := live.DefaultLimits().Scaled(scale)
	kind := &REST{Connect: func(_ context.Context, region string) (live.Reader, error) {
		return g.client(region, limits, 10, time.Duration(float64(time.Second)*scale))
	}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		// Fresh buckets: each run starts with a full burst, as an audit
		// of an idle account does.
		g.admin(b, http.MethodPut, "/_portcullis/faults", fmt.Sprintf(`{"throttle": %g}`, scale), nil)
		g.admin(b, http.MethodDelete, "/_portcullis/calls", "", nil)
		kind.clients = nil
		runtime.GC()
		base := sampleHeap()
		baseline := base.stop()
		heap := sampleHeap()
		b.StartTimer()
		start := time.Now()
		r, err := Run(context.Background(), Options{Regions: benchRegions, Kinds: []Kind{kind}, PerRegion: benchConcurrency()})
		wall := time.Since(start)
		b.StopTimer()
		peak := heap.stop()
		if err != nil {
			b.Fatal(err)
		}
		if r.Summary.APIs != apis || r.Summary.Unreadable != 0 || r.Summary.Methods != apis*299 {
			b.Fatalf("summary %+v", r.Summary)
		}
		// What a finished report keeps in memory: the results are on disk.
		runtime.GC()
		retained := sampleHeap().stop()
		_ = r.Close()
		var log struct{ Calls []emulator.Call }
		g.admin(b, http.MethodGet, "/_portcullis/calls", "", &log)
		fl, perRegion := floor(log.Calls, limits)
		calls, throttled := 0, 0
		for _, n := range perRegion {
			calls += n
		}
		for _, c := range log.Calls {
			if c.Status == http.StatusTooManyRequests {
				throttled++
			}
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(fl.Seconds(), "floor-s")
		b.ReportMetric(wall.Seconds()/fl.Seconds(), "wall/floor")
		b.ReportMetric(float64(calls), "calls")
		b.ReportMetric(float64(throttled), "throttled")
		b.ReportMetric(float64(peak-min(peak, baseline))/(1<<20), "peak-heap-MB")
		b.ReportMetric(float64(retained-min(retained, baseline))/(1<<10), "retained-KB")
		b.StartTimer()
	}
}

// BenchmarkAudit100APIs: the scale, 100 APIs x 300 resources over
// four regions.
func BenchmarkAudit100APIs(b *testing.B) { benchAudit(b, 100) }

// BenchmarkAudit25APIs: a quarter of the APIs, to show memory is flat in
// their number.
func BenchmarkAudit25APIs(b *testing.B) { benchAudit(b, 25) }

// BenchmarkAudit400APIs: four times the scale (100 APIs per
// region), for the memory claim.
func BenchmarkAudit400APIs(b *testing.B) { benchAudit(b, 400) }
