// Package loopback decides whether a host or URL names this machine: a
// loopback address, "localhost", or a name under ".localhost" (RFC 6761
// reserves it for loopback). The local gateway uses it to refuse requests
// whose Host a DNS-rebinding page controls, and probe uses it to decide
// where the built-in issuer's tokens may be sent. It parses; it never
// matches substrings, so "https://evil.example/.execute-api.localhost" is
// not local.
package loopback
