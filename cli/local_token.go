package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portcullis-dev/portcullis/tokens"
)

// localTokenOptions are `portcullis local token`'s inputs.
type localTokenOptions struct {
	Pool     string
	User     string
	Scopes   []string
	TokenUse string
	Expires  time.Duration
	ClientID string
	Groups   []string
	Email    string
	Bad      string
	KeyFile  string
	StateDir string
	JWKS     bool
}

// newLocalTokenCmd is `portcullis local token`: a token from the built-in
// issuer that the local gateway trusts for every pool not mapped elsewhere,
// printed alone on stdout so that $(portcullis local token ...) works.
func newLocalTokenCmd(ios *IOStreams) *cobra.Command {
	o := &localTokenOptions{}
	cmd := &cobra.Command{
		Use:   "token --pool ARN --user NAME [--scopes a/b,c/d] [--token-use id|access]",
		Short: "Mint a Cognito-shaped token the local gateway trusts",
		Long: `Mint an ID or access token signed by the built-in local issuer, whose key
lives in issuer-key.pem of the local state directory (created on first use,
mode 0600; --state-dir, else $PORTCULLIS_STATE_DIR, else
~/.local/state/portcullis, wherever you run it) and
which ` + "`portcullis local serve`" + ` trusts for every user pool not mapped to
another issuer. The token carries the pool's real issuer URL
(https://cognito-idp.REGION.amazonaws.com/POOL_ID) and Cognito's claims, so
it looks exactly like one from the real pool; real API Gateway refuses it.

Without --scopes the token is an ID token (what a method without scopes
wants); with --scopes it is an access token whose scope claim holds them.
--bad mints a deliberately invalid token for testing a gateway's refusals.
--jwks prints the issuer's public keys instead, for a backend that checks
tokens itself (its iss is the real pool's, so point its JWKS URL here).`,
		Example: `  curl -H "Authorization: $(portcullis local token --pool us-east-1_abc --user alice)" \
    http://127.0.0.1:4567/restapis/API_ID/prod/_user_request_/items
  portcullis local token --pool arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc \
    --user alice --scopes todo/read,todo/write --expires 15m`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tok, err := o.run(ios)
			if err != nil {
				return failed("%v", err)
			}
			_, err = fmt.Fprintln(ios.Out, tok)
			return err
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Pool, "pool", "", "user pool `ARN` or id (REGION_xxxx)")
	f.StringVar(&o.User, "user", "", "the user's `name` (cognito:username)")
	f.StringSliceVar(&o.Scopes, "scopes", nil, "`scopes` for an access token, comma-separated")
	f.StringVar(&o.TokenUse, "token-use", "", "id or access (default: access with --scopes, else id)")
	f.DurationVar(&o.Expires, "expires", time.Hour, "lifetime of the token")
	f.StringVar(&o.ClientID, "client-id", "", "app client `id` (the ID token's aud, the access token's client_id; default derived from the pool)")
	f.StringSliceVar(&o.Groups, "groups", nil, "cognito:groups `names`, comma-separated")
	f.StringVar(&o.Email, "email", "", "email claim of an ID token")
	f.StringVar(&o.Bad, "bad", "", "mint a deliberately bad token: "+badKinds())
	f.StringVar(&o.KeyFile, "key", "", "the built-in issuer's key `file` (default: issuer-key.pem in the local state directory)")
	registerStateDir(cmd, &o.StateDir)
	f.BoolVar(&o.JWKS, "jwks", false, "print the built-in issuer's JWKS (public keys) instead of a token")
	return cmd
}

func badKinds() string {
	s := make([]string, len(tokens.BadKinds))
	for i, k := range tokens.BadKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}

func (o *localTokenOptions) run(ios *IOStreams) (string, error) {
	if o.Expires <= 0 {
		return "", fmt.Errorf("--expires must be positive (use --bad expired for an expired token)")
	}
	if !o.JWKS && (o.Pool == "" || o.User == "") {
		return "", fmt.Errorf("--pool and --user are required")
	}
	key, err := keyFile(ios, o.KeyFile, o.StateDir)
	if err != nil {
		return "", err
	}
	iss, err := tokens.LoadOrCreateIssuer(key)
	if err != nil {
		return "", err
	}
	if o.JWKS {
		return string(iss.JWKS()), nil
	}
	m := tokens.MintOptions{
		Pool: o.Pool, Username: o.User, Scopes: o.Scopes, TokenUse: o.TokenUse,
		Expires: o.Expires, ClientID: o.ClientID, Groups: o.Groups, Email: o.Email,
	}
	if o.Bad != "" {
		return iss.MintBad(tokens.Bad(o.Bad), m)
	}
	return iss.Mint(m)
}

// IssuerFlags are the token-trust flags of `local serve` (and any command
// that runs the embedded gateway): where each pool's keys come from.
type IssuerFlags struct {
	Mappings []string
	File     string
	KeyFile  string
	StateDir string
	NoRemote bool
	RawOnly  bool
}

// Register adds --issuer, --issuer-file, --issuer-key, --no-remote-jwks and
// --raw-token-only to cmd.
func (f *IssuerFlags) Register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.Mappings, "issuer", nil, "trust another issuer for a pool: `POOL=URL` (POOL is an id, ARN or *; URL is the tokens' iss, e.g. http://127.0.0.1:9229/{pool} for cognito-local, or 'local' for the built-in issuer); repeatable, also "+tokens.EnvIssuers)
	fl.StringVar(&f.File, "issuer-file", "", "read POOL=URL lines from `FILE`")
	fl.StringVar(&f.KeyFile, "issuer-key", "", "the built-in issuer's key `file` (default: issuer-key.pem in the local state directory)")
	registerStateDir(cmd, &f.StateDir)
	fl.BoolVar(&f.NoRemote, "no-remote-jwks", false, "never fetch real Cognito's JWKS for unmapped pools (only the built-in issuer is trusted for them)")
	fl.BoolVar(&f.RawOnly, "raw-token-only", false, `refuse "Bearer <jwt>" in the identity header (AWS documents the raw token; whether it accepts the prefix is unconfirmed)`)
}

// Setup turns the flags and PORTCULLIS_ISSUERS into a tokens.Setup; flags
// win over the file, which wins over the environment.
func (f *IssuerFlags) Setup(ios *IOStreams) (tokens.Setup, error) {
	m := map[string]string{}
	getenv := ios.Getenv
	if getenv != nil {
		if err := tokens.ParseMappings(getenv(tokens.EnvIssuers), m); err != nil {
			return tokens.Setup{}, fmt.Errorf("%s: %w", tokens.EnvIssuers, err)
		}
	}
	if f.File != "" {
		if err := tokens.ReadMappingFile(f.File, m); err != nil {
			return tokens.Setup{}, err
		}
	}
	for _, s := range f.Mappings {
		if err := tokens.ParseMappings(s, m); err != nil {
			return tokens.Setup{}, fmt.Errorf("--issuer: %w", err)
		}
	}
	key, err := keyFile(ios, f.KeyFile, f.StateDir)
	if err != nil {
		return tokens.Setup{}, err
	}
	return tokens.Setup{KeyFile: key, Issuers: m, Remote: !f.NoRemote, RawOnly: f.RawOnly}, nil
}
