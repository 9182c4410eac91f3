// Package policytest holds the conformance tests every policy.Store
// implementation must pass, so the in-memory and SQL stores (and a future
// PostgreSQL one) behave the same.
package policytest
