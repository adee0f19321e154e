package otelsig

import (
	"context"
	"fmt"

	"github.com/usersig/usersig/sighttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope (the meter's name) of every
// instrument New creates.
const ScopeName = "github.com/usersig/usersig/contrib/otelsig"

// DecisionsMetric is the name of the counter of decisions. The Prometheus
// exporter writes it as usersig_decisions_total.
const DecisionsMetric = "usersig.decisions"

// New returns an Observer that counts each decision in DecisionsMetric and
// annotates the request's span, on a meter of mp named ScopeName. A nil mp
// means the global one (otel.GetMeterProvider()). The options add the
// tenant attribute and gauges; see the package documentation for the
// attributes.
//
// The Observer is safe for concurrent use. It allocates only the first few
// times it sees a combination of attributes (it keeps up to 4096 of them
// ready-made; past that, each decision with a new combination allocates).
// It fails with an error wrapping ErrInvalidOption for a bad option or an
// instrument the meter refuses.
func New(mp metric.MeterProvider, opts ...Option) (sighttp.Observer, error) {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			return nil, fmt.Errorf("%w: nil Option", ErrInvalidOption)
		}
		opt(&cfg)
	}
	if mp == nil {
		mp = otel.GetMeterProvider()
	}
	meter := mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	decisions, err := meter.Int64Counter(DecisionsMetric,
		metric.WithDescription("Verification decisions of usersig, by outcome and reason."),
		metric.WithUnit("{decision}"))
	if err != nil {
		return nil, fmt.Errorf("%w: counter %s: %w", ErrInvalidOption, DecisionsMetric, err)
	}
	for _, g := range cfg.gauges {
		if err := registerGauge(meter, g); err != nil {
			return nil, err
		}
	}
	o := &observer{decisions: decisions, tenant: cfg.tenant}
	return o.observe, nil
}

func registerGauge(meter metric.Meter, g gauge) error {
	if g.name == "" || g.read == nil {
		return fmt.Errorf("%w: WithGauge(%q) needs a name and a read function", ErrInvalidOption, g.name)
	}
	read := g.read
	_, err := meter.Float64ObservableGauge(g.name,
		metric.WithDescription(g.description),
		metric.WithUnit(g.unit),
		metric.WithFloat64Callback(func(_ context.Context, o metric.Float64Observer) error {
			o.Observe(read())
			return nil
		}))
	if err != nil {
		return fmt.Errorf("%w: gauge %q: %w", ErrInvalidOption, g.name, err)
	}
	return nil
}

type observer struct {
	decisions metric.Int64Counter
	tenant    bool
	attrs     attrCache
}

func (o *observer) observe(ctx context.Context, d sighttp.Decision) {
	k := keyOf(d, o.tenant)
	a := o.attrs.get(k)
	o.decisions.Add(ctx, 1, a.measure...)
	if span := trace.SpanFromContext(ctx); span.IsRecording() {
		span.SetAttributes(a.span...)
	}
}
