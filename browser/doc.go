// Package browser runs a headless Chromium and asks it the questions only a
// browser answers: whether a page at a given origin may make a
// cross-origin call (the preflight, the allowed headers) and whether it
// can read the answer (Access-Control-Allow-Origin on it, a 401 included).
//
// It speaks the Chrome DevTools protocol over the pipe Chromium opens with
// --remote-debugging-pipe (JSON messages ended by a NUL byte on file
// descriptors 3 and 4), so it needs no WebSocket library and no Node.js.
// The page is given its origin without a server: requests to the origin
// are answered through the Fetch domain while the page loads, and the
// interception is switched off before any probe request, so the browser
// meets the gateway's real answers. Chromium's own verdict on each request
// comes from the Network domain (loadingFailed.corsErrorStatus).
//
// It does not decide what a route should answer (package probe does), and
// it never installs a browser: Find says where to get one.
package browser
