// Package gentest holds what every generator's tests share: the examples
// under examples/ loaded as fixtures, golden-file comparison refreshed with
// -update, and parsing each output with its format's own parser. Only tests
// import it.
package gentest
