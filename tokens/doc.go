// Package tokens owns Cognito user-pool tokens on the local side: verifying
// them exactly as an API Gateway COGNITO_USER_POOLS authorizer does, knowing
// where each pool's keys come from, and a built-in issuer that mints
// Cognito-shaped tokens.
//
// Verification (Verifier.Verify) follows docs/api-gateway-facts.md (Cognito authorizer semantics): RS256
// only; the kid's key from the pool's JWKS; iss equal to the pool's issuer;
// exp (an expired token gets AWS's own message, "The incoming token has
// expired"); token_use decided by the method's scopes (none: an ID token;
// some: an access token whose scope claim holds any of them); the
// authorizer's identityValidationExpression against aud, which refuses
// access tokens because they have no aud. An authorizer with several pools
// accepts a token that verifies against any of them. The raw token and
// "Bearer <jwt>" are both accepted unless Verifier.RawOnly is set: AWS
// documents the raw form and reports disagree about the prefix.
//
// HTTP API JWT authorizers (Verifier.VerifyJWT): RS256 by a key of the
// issuer's JWKS, iss equal to the issuer, aud or else client_id among the
// audiences, exp/nbf/iat, then the route's scopes (at least one; missing
// is ErrForbidden, a 403). The issuer's keys come from
// Resolver.TrustIssuer: a Cognito issuer follows its pool's mapping, an
// issuer mapped by URL its mapping, an issuer on loopback its own JWKS.
//
// Both checks keep verified tokens (sigcache.go): a token whose exact bytes
// a key verified before skips decoding and RSA, never the claim checks.
//
// Where keys come from (Resolver): a pool ARN's real issuer is
// https://cognito-idp.REGION.amazonaws.com/POOL_ID with keys at
// <issuer>/.well-known/jwks.json. A mapping (--issuer POOL=URL,
// PORTCULLIS_ISSUERS, an issuer file, or ResolverConfig.Issuers in Go) sends
// a pool to another issuer, such as cognito-local at
// http://127.0.0.1:9229/POOL_ID, or to "local", the built-in issuer. An
// unmapped pool trusts the built-in issuer and, when Remote is on and the
// region is a real one, real Cognito's JWKS. A mapped issuer's JWKS and real
// Cognito's are the only things ever fetched: on first use (never at
// startup), cached, refreshed hourly and on unknown kids (at most every
// 10 s), with a 5 s timeout. Setup builds the usual verifier for
// `local serve` and the --local commands.
//
// The built-in issuer (Issuer) keeps one RSA key in .portcullis/issuer-key.pem
// (0600) so that `local serve` and `local token`, separate processes, agree.
// Its tokens carry the pool's real-looking issuer
// (https://cognito-idp.REGION.amazonaws.com/POOL_ID): a token minted locally
// is shaped exactly like one from the real pool, so applications and probes
// that check iss themselves accept it, while real API Gateway refuses it
// because the signature is not Cognito's. MintBad makes the deliberately bad
// tokens probes and tests need (forged, tampered, expired, wrong issuer, alg
// none, HS256, garbage).
//
// The package does not serve HTTP or know about API Gateway state: the
// emulator's data plane calls Verify with the authorizer and method it found.
package tokens
