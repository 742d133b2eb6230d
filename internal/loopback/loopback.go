package loopback

import (
	"net"
	"net/netip"
	"net/url"
	"strings"
)

// Host reports whether host (a Host header or URL authority, with or
// without a port) names this machine.
func Host(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	} else if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if host == "" {
		return false
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().IsLoopback()
	}
	// A trailing dot is the same name, fully qualified.
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "localhost" || strings.HasSuffix(host, ".localhost")
}

// URL reports whether raw is an http or https URL whose host names this
// machine. User information ("http://localhost@evil.example") is parsed
// as such, so only the real host counts.
func URL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return Host(u.Host)
}
