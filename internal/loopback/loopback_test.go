package loopback

import "testing"

func TestHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "127.0.0.1:4567": true, "127.9.9.9": true, "[::1]:80": true, "::1": true, "[::1]": true,
		"localhost": true, "LOCALHOST:80": true, "localhost.": true, "abc.execute-api.localhost:4567": true,
		"x.localhost": true, "::ffff:127.0.0.1": true,
		"": false, "evil.example": false, "localhost.evil.example": false, "evillocalhost": false,
		"10.0.0.1": false, "0.0.0.0": false, "[::]:80": false, "192.168.1.1:4567": false,
		"abc.execute-api.localhost.evil.example": false,
	} {
		if got := Host(host); got != want {
			t.Errorf("Host(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"http://127.0.0.1:4567/restapis/a/s/_user_request_": true,
		"http://abc.execute-api.localhost:4567/dev":         true,
		"https://localhost/dev":                             true,
		"http://[::1]:4567":                                 true,
		// The old substring rule took each of these for local.
		"https://evil.example/.execute-api.localhost/dev":     false,
		"https://x.execute-api.localhost.evil.example/dev":    false,
		"http://127.0.0.1:x@evil.example/dev":                 false,
		"http://localhost:@evil.example/dev":                  false,
		"https://evil.example/?h=abc.execute-api.localhost":   false,
		"https://abc.execute-api.us-east-1.amazonaws.com/dev": false,
		"ftp://localhost/": false,
		"localhost:4567":   false,
	} {
		if got := URL(raw); got != want {
			t.Errorf("URL(%q) = %v, want %v", raw, got, want)
		}
	}
}
