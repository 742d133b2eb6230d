// Package peertest starts the real third-party peers that tests drive
// (the pinned npm packages under peers/), and applies the suite's rule for
// them: under -short every peer test skips (Long); otherwise, under CI a
// missing peer fails the test and elsewhere it skips (Missing).
// Test-only: nothing in the shipped binary imports it.
package peertest
