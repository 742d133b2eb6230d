package policies

// IDPrefix starts every built-in rule ID. IDs are stable: a retired rule's
// ID is never reused, so suppressions and SARIF baselines keep meaning.
const IDPrefix = "PCA"

// registry is the explicit list of built-in rules, sorted by ID. Adding a
// rule is one file, its examples folder, and one line here.
var registry = []*Rule{
	ruleUnauthenticatedRoute,      // PCA001
	rulePublicWithoutReason,       // PCA002
	rulePublicWriteRoute,          // PCA003
	ruleAuthorizedPreflight,       // PCA004
	ruleAuthErrorsWithoutCORS,     // PCA005
	ruleAudienceCheckOnScopes,     // PCA006
	ruleAudienceCheckSeveralPools, // PCA007
	ruleScopesWithoutCognito,      // PCA008
	ruleMalformedScope,            // PCA009
	ruleMixedTokenTypes,           // PCA010
	ruleAuthorizerCacheOff,        // PCA011
	ruleCacheOutlivesToken,        // PCA012
	rulePoolInOtherRegion,         // PCA013
	ruleWildcardOriginWithAuth,    // PCA014
	ruleCustomIdentityHeader,      // PCA015
	rulePublicGreedyRoute,         // PCA016
	ruleSuppressionWithoutReason,  // PCA017
	ruleUnusedSuppression,         // PCA018
	ruleIdentityHeaderNotInCORS,   // PCA019
	ruleUnusedAuthorizer,          // PCA020
	ruleJWTRouteWithoutScopes,     // PCA021
	ruleJWTMixedTokenTypes,        // PCA022
	ruleHTTPAuthorizedPreflight,   // PCA023
	ruleCORSCredentialsWildcard,   // PCA024
	ruleOpenDefaultRoute,          // PCA025
	ruleAudienceNeverMatches,      // PCA026
}
