// Package httpx holds the JSON conventions of the organization server's HTTP
// API, shared by every server package that adds routes: bodies are bounded
// and strict, and errors are {"error": {"code": "...", "message": "..."}}
// with a stable code. See ../../docs/server-api.md.
package httpx
