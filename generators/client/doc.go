// Package client writes the browser half of an API: a dependency-free
// TypeScript module per API (and the same in JavaScript with a .d.ts) with
// one function per route, typed path parameters, the base URL per stage,
// and the token choice made from the description (none for public routes,
// the ID token for Cognito routes without scopes, the access token for
// scoped ones). Calls take their tokens from a provider function (an
// Amplify v6 adapter over fetchAuthSession is included) and come back as
// typed results that tell a 401 (not signed in, wrong token type, missing
// scope, expired), a 403, a CORS block and a network failure apart. The
// module also builds the Amplify v6 configuration (Auth.Cognito and
// API.REST) for the API.
//
// Strings from the description are written as JSON literals and comments
// are defused, so no description can inject code. The package runs no
// TypeScript compiler; its tests do (tsc --strict from peers/browser), and
// the real-browser test in this folder drives the generated client from a
// React page in Chromium.
package client
