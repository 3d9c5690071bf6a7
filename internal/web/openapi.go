package web

import _ "embed"

// openapiJSON describes the JSON API; openapi_test.go keeps it in step with
// the router and the response types.
//
//go:embed openapi.json
var openapiJSON []byte
