// Package all is the one list of the connectors built into resultlinks.
package all

import (
	"github.com/resultlinks/resultlinks/internal/connector"
	"github.com/resultlinks/resultlinks/internal/connector/ashby"
	"github.com/resultlinks/resultlinks/internal/connector/greenhouse"
	"github.com/resultlinks/resultlinks/internal/connector/lever"
	"github.com/resultlinks/resultlinks/internal/connector/personio"
	"github.com/resultlinks/resultlinks/internal/connector/recruitee"
	"github.com/resultlinks/resultlinks/internal/connector/sandbox"
	"github.com/resultlinks/resultlinks/internal/connector/smartrecruiters"
	"github.com/resultlinks/resultlinks/internal/connector/teamtailor"
	"github.com/resultlinks/resultlinks/internal/connector/workable"
)

// Registry returns a registry of every built-in connector.
func Registry() *connector.Registry {
	return connector.NewRegistry(
		ashby.Info(),
		greenhouse.Info(),
		lever.Info(),
		personio.Info(),
		recruitee.Info(),
		sandbox.Info(),
		smartrecruiters.Info(),
		teamtailor.Info(),
		workable.Info(),
	)
}
