// Package peertest starts the real third-party peers that tests drive
// (the pinned npm packages under peers/), and applies the suite's rule for
// them: under CI a missing peer fails the test; elsewhere it skips.
// Test-only: nothing in the shipped binary imports it.
package peertest
