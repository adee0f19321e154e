// Package otelsig turns the verification decisions of
// [github.com/usersig/usersig/sighttp] (and of every adapter built on it)
// into OpenTelemetry metrics and span attributes.
//
// # Wiring
//
// [New] returns a [sighttp.Observer]; hand it to the middleware or adapter
// with sighttp.WithObserver:
//
//	obs, err := otelsig.New(meterProvider)
//	if err != nil { ... }
//	api := sighttp.Middleware(signer, sighttp.WithObserver(obs))(inbox)
//
// The Observer is called once per decision, on the request's goroutine, and
// costs one counter increment (no allocation once a combination of
// attributes has been seen) plus, when the request's span is recording, one
// SetAttributes call.
//
// # Metrics
//
// One counter, [DecisionsMetric] ("usersig.decisions", unit "{decision}";
// usersig_decisions_total in Prometheus), counts every decision with these
// attributes (Prometheus labels in brackets):
//
//   - usersig.outcome [usersig_outcome]: "accepted", "rejected" or
//     "unsigned" (report-only mode let an unsigned request through);
//   - usersig.reason [usersig_reason]: the reason word of a rejected or
//     unsigned decision, absent on an accepted one;
//   - error.type [error_type]: the same reason word, on rejected decisions
//     only, as OpenTelemetry's semantic conventions name a failure ("_OTHER"
//     for a rejection without a reason word);
//   - usersig.scheme [usersig_scheme]: the scheme's name, absent when no
//     Signer was found;
//   - usersig.secret [usersig_secret]: on accepted decisions, which secret
//     verified: "current", "previous-1" … "previous-3", or "previous-4+"
//     (capped so the label stays bounded). Once no request matches a
//     previous secret, a rotation can be finished;
//   - usersig.tenant [usersig_tenant]: the tenant key, only under
//     [WithTenantAttribute] (one series per tenant and reason: mind the
//     cardinality).
//
// [WithGauge] adds an observable gauge read at each collection, for state
// such as a tenant store's staleness or a cache's size.
//
// # Spans
//
// When the request's span (trace.SpanFromContext) is recording, the
// Observer sets usersig.outcome, usersig.reason, error.type and
// usersig.scheme on it (usersig.tenant too under [WithTenantAttribute]). It
// never records a secret, a signature, a user id or any other credential
// value: a [sighttp.Decision] holds none.
//
// # Rollout
//
// In report-only mode (sighttp.WithUnsignedAllowed) the figure that says
// when enforcement can be switched on is the share of requests still
// unsigned:
//
//	sum(rate(usersig_decisions_total{usersig_outcome="unsigned"}[5m]))
//	  / sum(rate(usersig_decisions_total[5m]))
//
// The repository's README lists more queries.
package otelsig
