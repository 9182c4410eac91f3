// Package cli implements parleyctl: argument parsing, the verbs, the admin
// API client and the saved session. main only wires it to the process.
//
// Exit codes: 0 success, 1 an error (server refused, network, …), 2 a usage
// error (unknown verb, bad flag, missing argument). See ../../../../docs/admin.md.
package cli
