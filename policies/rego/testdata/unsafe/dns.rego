package main

deny contains msg if {
	addrs := net.lookup_ip_addr("example.com")
	msg := sprintf("%v", [addrs])
}
