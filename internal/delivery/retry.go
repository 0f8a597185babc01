package delivery

import (
	"context"
	"time"

	"github.com/resultlinks/resultlinks"
)

// Queue queues a result link's delivery outside any transaction.
type Queue interface {
	// EnqueueDelivery queues rl's delivery to run at runAt.
	EnqueueDelivery(ctx context.Context, rl *resultlinks.ResultLink, runAt time.Time) error
}

// RetryFailed queues a FAILED result link of the environment for another
// delivery, for the API and the dashboard alike. It returns the link as
// found (nil when it is not found), QUEUED once queued. A link in another
// state is CodeInputInvalid; a nil queue is CodeUnknown.
func RetryFailed(ctx context.Context, store resultlinks.Store, queue Queue, environmentID, id string, now time.Time) (*resultlinks.ResultLink, error) {
	rl, err := store.FindResultLink(ctx, environmentID, id)
	if err != nil {
		return nil, err
	}
	if rl.Status != resultlinks.DeliveryFailed {
		return rl, resultlinks.Errorf(resultlinks.CodeInputInvalid, "Only a FAILED result link can be retried; %s is %s.", rl.ID, rl.Status)
	}
	if _, err := store.FindIntegration(ctx, rl.EnvironmentID, rl.IntegrationID); err != nil {
		return rl, err
	}
	if queue == nil {
		return rl, resultlinks.Errorf(resultlinks.CodeUnknown, "This server runs no job queue.")
	}
	// Once the link is queued again its job must be too, even when the
	// caller goes away meanwhile.
	ctx = context.WithoutCancel(ctx)
	ok, err := store.RequeueResultLink(ctx, rl.ID, now)
	if err != nil {
		return rl, err
	}
	if ok {
		if err := queue.EnqueueDelivery(ctx, rl, now); err != nil {
			return rl, err
		}
	}
	rl.Status = resultlinks.DeliveryQueued
	rl.Receipt = resultlinks.Receipt{}
	return rl, nil
}
