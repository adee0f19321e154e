package otelsig

// An Option configures New.
type Option func(*config)

type config struct {
	tenant bool
	gauges []gauge
}

type gauge struct {
	name, description, unit string
	read                    func() float64
}

// WithTenantAttribute adds the tenant key a tenant lookup chose
// (sighttp.Decision.Tenant) as the usersig.tenant attribute, on the counter
// and on the span.
//
// Default: off. Every tenant multiplies the counter's series by the number
// of outcome, reason, scheme and secret combinations it sees, and
// OpenTelemetry's SDK folds series past its cardinality limit (2000 per
// instrument by default) into one overflow series. Turn it on for a few
// hundred tenants at most, and only if a tenant key is not itself
// confidential: it is exported as a label.
func WithTenantAttribute() Option {
	return func(c *config) { c.tenant = true }
}

// WithGauge registers an observable gauge on the same meter, whose value is
// read() at each collection (on the exporter's goroutine, so read must be
// safe for concurrent use and fast). name follows OpenTelemetry's rules
// (for instance "usersig.store.staleness"); unit is UCUM ("s", "{entry}")
// or "". Use it for state the decisions do not show, without otelsig
// importing the package that keeps it:
//
//	otelsig.WithGauge("usersig.store.staleness", "Time since the tenant store last synced.", "s",
//		func() float64 { return time.Since(store.LastSync()).Seconds() })
//	otelsig.WithGauge("usersig.cache.entries", "Signers held by the lookup cache.", "{entry}",
//		func() float64 { return float64(cache.Len()) })
//
// New fails with ErrInvalidOption for an empty name or a nil read. The
// gauge lives as long as the MeterProvider.
func WithGauge(name, description, unit string, read func() float64) Option {
	return func(c *config) {
		c.gauges = append(c.gauges, gauge{name: name, description: description, unit: unit, read: read})
	}
}
