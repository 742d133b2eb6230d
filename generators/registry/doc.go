// Package registry lists every generator, once, in one explicit sorted
// list: adding a target is one package plus one line here. It has no
// init-time side effects; commands and tests ask it for the list.
package registry
