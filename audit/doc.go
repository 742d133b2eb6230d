// Package audit judges every API Gateway API of an account, read-only: it
// lists the APIs of each region asked for, reads each one once through
// package live (paced per region to API Gateway's account limits), turns it
// into the shared model, and judges it with the built-in rules of package
// policies, the live-only checks in checks.go (undeployed changes, methods
// served open by a stage, gateway responses without CORS, user pools in an
// unexpected region or account, stages without a deployment), the intent a
// baseline of Portcullis descriptions declares, and, when asked, what the
// stages answer on the wire (package probe).
//
// Results stream: each API is judged as soon as it is read and spooled to a
// temporary file, so memory stays flat in the number of APIs; the renderers
// (text, JSON, SARIF, HTML; one file each behind Renderer) read the spool
// back in a stable order (region, then API name and id).
//
// One API family is one Kind (REST v1 today; HTTP v2 plugs in as another
// Kind with its own lister and reader). The package makes no writes and
// owns no AWS client: the caller hands it a Connect function per region
// (the thin edge lives in package live and in cli).
package audit
