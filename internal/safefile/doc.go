// Package safefile reads input files that a user named but an attacker
// may have shaped: regular files only (a FIFO would hang the reader, a
// device like /dev/zero would never end), read up to a size limit, and,
// with Under, only below a folder after every symlink is resolved.
package safefile
