// Package fakekit holds the machinery every ATS fake under internal/atsfake
// shares, and nothing vendor-specific: fault injection ([Fault], [Faults],
// [Apply]), the request log ([Log]), fixed-window request budgets
// ([Window]) and the writing of a built response ([WriteResponse]).
//
// What a vendor's API looks like (its error envelopes, its rate-limit
// headers, which routes count against which budget, the defaults of its
// limits) stays in each fake. A fake re-exports the shared names it offers
// its callers through type aliases and thin delegating methods, so the
// fakes' APIs do not depend on this package's.
package fakekit
