// Package policytest holds the conformance tests every policy.Store
// implementation must pass, so the in-memory store and the SQL store (on
// SQLite and on PostgreSQL) behave the same.
package policytest
