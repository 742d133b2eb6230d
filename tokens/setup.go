package tokens

// Setup is the usual local configuration of token verification, shared by
// `local serve` and every `--local` command so they trust the same keys.
type Setup struct {
	// KeyFile holds the built-in issuer's key ("" = DefaultKeyFile); it is
	// created on first use.
	KeyFile string
	// Issuers maps pools elsewhere (see ResolverConfig.Issuers).
	Issuers map[string]string
	// Remote verifies unmapped real pools against real Cognito's JWKS.
	Remote bool
	// RawOnly refuses "Bearer <jwt>" (see Verifier.RawOnly).
	RawOnly bool
	HTTP    RemoteOptions
}

// Verifier builds the verifier and returns the built-in issuer with it.
func (s Setup) Verifier() (*Verifier, *Issuer, error) {
	path := s.KeyFile
	if path == "" {
		path = DefaultKeyFile
	}
	iss, err := LoadOrCreateIssuer(path)
	if err != nil {
		return nil, nil, err
	}
	r, err := NewResolver(ResolverConfig{Issuers: s.Issuers, Local: iss, Remote: s.Remote, HTTP: s.HTTP})
	if err != nil {
		return nil, nil, err
	}
	return &Verifier{Resolver: r, RawOnly: s.RawOnly}, iss, nil
}
