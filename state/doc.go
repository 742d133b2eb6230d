// Package state holds a live REST API as read: the identifiers and raw
// facts apply needs to write minimal calls (resource, method, authorizer
// and stage records, what each stage's deployment serves) beside the same
// *spec.API model every other edge uses.
//
// It is plain data with no AWS SDK in its imports, so diff, plan, drift and
// importer can compare and plan against a live API without linking the SDK.
// Reading the API is live's job; deciding what to change is diff's.
package state
