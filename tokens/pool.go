package tokens

import (
	"fmt"
	"regexp"
	"strings"
)

// Pool identifies a Cognito user pool by the parts of its ARN.
type Pool struct {
	Region  string
	Account string // "" when only the pool id was given
	ID      string // REGION_xxxx
}

var (
	poolIDRe  = regexp.MustCompile(`^([a-z0-9-]+)_[0-9A-Za-z]+$`)
	poolARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:cognito-idp:([a-z0-9-]+):([0-9a-z]*):userpool/([^/\s]+)$`)
	// awsRegionRe matches region names that real Cognito serves, so that a
	// cognito-local pool ("local_xxx" in region "local") never makes the
	// gateway reach for a public endpoint that cannot exist.
	awsRegionRe = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$`)
)

// ParsePool reads a pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/ID)
// or a bare pool id (REGION_xxxx, whose prefix is the region).
func ParsePool(s string) (Pool, error) {
	s = strings.TrimSpace(s)
	if m := poolARNRe.FindStringSubmatch(s); m != nil {
		return Pool{Region: m[1], Account: m[2], ID: m[3]}, nil
	}
	if m := poolIDRe.FindStringSubmatch(s); m != nil {
		return Pool{Region: m[1], ID: s}, nil
	}
	return Pool{}, fmt.Errorf("%q is neither a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID) nor a pool id (REGION_xxxx)", s)
}

// CognitoIssuer is the iss claim real Cognito writes into this pool's tokens.
func (p Pool) CognitoIssuer() string {
	return "https://cognito-idp." + p.Region + ".amazonaws.com/" + p.ID
}

// realRegion reports whether real Cognito could host this pool.
func (p Pool) realRegion() bool { return awsRegionRe.MatchString(p.Region) }

// JWKSURL is where an issuer publishes its keys (Cognito's convention, which
// cognito-local follows).
func JWKSURL(issuer string) string {
	return strings.TrimRight(issuer, "/") + "/.well-known/jwks.json"
}
