// Package all is the one list of the connectors built into resultlinks.
package all

import (
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
)

// Registry returns a registry of every built-in connector.
func Registry() *connector.Registry {
	return connector.NewRegistry(
		greenhouse.Info(),
		sandbox.Info(),
	)
}
