package workflow

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/portcullis-dev/portcullis/emulator"
	"github.com/portcullis-dev/portcullis/internal/loopback"
	"github.com/portcullis-dev/portcullis/live"
)

// Endpoint says which API Gateway a command talks to.
type Endpoint struct {
	// Local starts the embedded gateway in-process, its state in StateDir.
	Local    bool
	StateDir string
	// EndpointURL sends the calls elsewhere (a running local serve,
	// LocalStack); "" is AWS itself (or AWS_ENDPOINT_URL*).
	EndpointURL string
	Profile     string
	Region      string
}

// Session is a client and what it talks to.
type Session struct {
	Client *apigateway.Client
	// HTTP is the apigatewayv2 client for HTTP APIs, same endpoint and
	// credentials.
	HTTP *apigatewayv2.Client
	// EndpointURL is the endpoint in use when not AWS itself ("" for AWS
	// or an endpoint set through the environment).
	EndpointURL string
	Local       bool
	// StateDir is the embedded gateway's state directory (Local only).
	StateDir string
	Region   string
	close    func() error
}

// Close stops the embedded gateway, if one was started.
func (s *Session) Close() error {
	if s == nil || s.close == nil {
		return nil
	}
	return s.close()
}

// Target names what the session changes, for a saved plan to record and
// refuse elsewhere: "local STATEDIR", "endpoint URL" or "aws REGION".
func (s *Session) Target() string {
	switch {
	case s.Local:
		return "local " + s.StateDir
	case s.EndpointURL != "":
		return "endpoint " + s.EndpointURL
	}
	return "aws " + s.Region
}

// Connect builds the API Gateway client. descRegion is the description's
// region, used when ep.Region is empty. With ep.Local the embedded gateway
// starts in-process on its state directory, so separate runs see the same
// APIs wherever they are started.
func Connect(ctx context.Context, ep Endpoint, descRegion string) (*Session, error) {
	if ep.Local && ep.EndpointURL != "" {
		return nil, fail("connect", "--local and --endpoint-url are exclusive: --local starts its own gateway")
	}
	cfg := live.Config{Profile: ep.Profile, Region: ep.Region, EndpointURL: ep.EndpointURL}
	if cfg.Region == "" {
		cfg.Region = descRegion
	}
	s := &Session{EndpointURL: ep.EndpointURL, Local: ep.Local}
	// A gateway on loopback (`portcullis local serve`, LocalStack) ignores
	// signatures: it gets dummy credentials rather than a credential chain
	// that would probe IMDS for seconds before failing.
	cfg.Local = loopback.URL(ep.EndpointURL)
	if ep.Local {
		dir, err := StateDir(ep.StateDir, nil)
		if err != nil {
			return nil, &Error{Step: "connect", Err: err}
		}
		url, stop, err := emulator.StartLocalIn(dir, emulator.Options{})
		if err != nil {
			return nil, fail("connect", "%v (the local state directory is %s; choose another with --state-dir or %s)", err, dir, EnvStateDir)
		}
		cfg.EndpointURL, cfg.Local = url, true
		// The embedded gateway does not throttle, so pacing at AWS's
		// account limits would only slow a local run down.
		off := live.DefaultLimits().Scaled(0)
		cfg.Limits = &off
		s.EndpointURL, s.close, s.StateDir = url, stop, dir
	}
	c, err := live.NewClient(ctx, cfg)
	if err != nil {
		_ = s.Close()
		return nil, fail("connect", "%v", err)
	}
	hc, err := live.NewHTTPClient(ctx, cfg)
	if err != nil {
		_ = s.Close()
		return nil, fail("connect", "%v", err)
	}
	s.Client, s.HTTP, s.Region = c, hc, c.Options().Region
	return s, nil
}
