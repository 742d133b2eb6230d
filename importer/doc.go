// Package importer turns a live API (state.State) into a description a team
// can adopt: HCL written token by token with hclwrite, or OpenAPI through
// the openapi generator. What it writes reads back to the same model, so
// `portcullis import` followed by `portcullis plan` shows no changes.
//
// It recognises Portcullis's own shapes (CORS preflight mocks and the CORS
// gateway responses become one cors block) and marks every open method
// public with a reason to review. Lambda (TOKEN/REQUEST) authorizers and
// the methods using them cannot be described and are listed as skipped.
package importer
