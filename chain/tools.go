//go:build tools

// Package chain pins the wasmd command so `go build` can build it from this
// module (go install refuses modules with replace directives).
package chain

import _ "github.com/CosmWasm/wasmd/cmd/wasmd"
