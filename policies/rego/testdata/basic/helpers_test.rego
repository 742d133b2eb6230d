package main

test_ignored if {
	http.send({"method": "GET", "url": "http://example.invalid"})
}
