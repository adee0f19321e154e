package otelsig_test

import (
	"context"
	"math"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/otelsig"
	"github.com/usersig/usersig/sighttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// meterWithReader returns a MeterProvider whose metrics the returned
// ManualReader collects on demand.
func meterWithReader(t testing.TB) (*sdkmetric.MeterProvider, *sdkmetric.ManualReader) {
	t.Helper()
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	return mp, reader
}

// collect returns the metrics of otelsig's scope by name.
func collect(t testing.TB, reader *sdkmetric.ManualReader) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	out := make(map[string]metricdata.Metrics)
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != otelsig.ScopeName {
			continue
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

func point(n int64, kv ...attribute.KeyValue) metricdata.DataPoint[int64] {
	return metricdata.DataPoint[int64]{Attributes: attribute.NewSet(kv...), Value: n}
}

func decisions(points ...metricdata.DataPoint[int64]) metricdata.Metrics {
	return metricdata.Metrics{
		Name:        otelsig.DecisionsMetric,
		Description: "Verification decisions of usersig, by outcome and reason.",
		Unit:        "{decision}",
		Data: metricdata.Sum[int64]{
			Temporality: metricdata.CumulativeTemporality,
			IsMonotonic: true,
			DataPoints:  points,
		},
	}
}

var (
	accepted = otelsig.OutcomeKey.String("accepted")
	rejected = otelsig.OutcomeKey.String("rejected")
	unsigned = otelsig.OutcomeKey.String("unsigned")
)

func TestDecisionsCounted(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp)
	require.NoError(t, err)

	ctx := context.Background()
	observe := func(n int, d sighttp.Decision) {
		for range n {
			obs(ctx, d)
		}
	}
	observe(3, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 0, Tenant: "acme"})
	observe(2, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 1})
	observe(1, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 3})
	observe(1, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 4})
	observe(1, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 9})
	observe(1, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "intercom", Secret: -1})
	observe(4, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "proficient", Secret: -1})
	observe(1, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "unknown-signer", Secret: -1})
	// A rejected decision never says which secret matched, even if a
	// caller filled the field in.
	observe(1, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "expired", Scheme: "proficient", Secret: 0})
	observe(5, sighttp.Decision{Outcome: sighttp.Unsigned, Reason: "unsigned", Scheme: "proficient", Secret: -1})
	// A rejection without a reason word still says it failed.
	observe(1, sighttp.Decision{Outcome: sighttp.Rejected, Scheme: "proficient", Secret: -1})

	proficient := otelsig.SchemeKey.String("proficient")
	want := decisions(
		// The tenant is dropped without WithTenantAttribute: 3 with "acme"
		// count with the rest.
		point(3, accepted, proficient, otelsig.SecretKey.String("current")),
		point(2, accepted, proficient, otelsig.SecretKey.String("previous-1")),
		point(1, accepted, proficient, otelsig.SecretKey.String("previous-3")),
		point(2, accepted, proficient, otelsig.SecretKey.String("previous-4+")),
		point(1, accepted, otelsig.SchemeKey.String("intercom")),
		point(4, rejected, proficient, otelsig.ReasonKey.String("invalid"), otelsig.ErrorTypeKey.String("invalid")),
		point(1, rejected, otelsig.ReasonKey.String("unknown-signer"), otelsig.ErrorTypeKey.String("unknown-signer")),
		point(1, rejected, proficient, otelsig.ReasonKey.String("expired"), otelsig.ErrorTypeKey.String("expired")),
		point(5, unsigned, proficient, otelsig.ReasonKey.String("unsigned")),
		point(1, rejected, proficient, otelsig.ErrorTypeKey.String("_OTHER")),
	)
	got := collect(t, reader)
	require.Contains(t, got, otelsig.DecisionsMetric)
	metricdatatest.AssertEqual(t, want, got[otelsig.DecisionsMetric], metricdatatest.IgnoreTimestamp())
}

func TestTenantAttribute(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp, otelsig.WithTenantAttribute())
	require.NoError(t, err)

	ctx := context.Background()
	obs(ctx, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "crisp", Tenant: "acme", Secret: 0})
	obs(ctx, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "crisp", Tenant: "acme", Secret: 0})
	obs(ctx, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "crisp", Tenant: "globex", Secret: -1})
	// No tenant was chosen: no attribute, not an empty one.
	obs(ctx, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "unknown-signer", Secret: -1})

	crisp := otelsig.SchemeKey.String("crisp")
	want := decisions(
		point(2, accepted, crisp, otelsig.TenantKey.String("acme"), otelsig.SecretKey.String("current")),
		point(1, rejected, crisp, otelsig.TenantKey.String("globex"),
			otelsig.ReasonKey.String("invalid"), otelsig.ErrorTypeKey.String("invalid")),
		point(1, rejected, otelsig.ReasonKey.String("unknown-signer"), otelsig.ErrorTypeKey.String("unknown-signer")),
	)
	metricdatatest.AssertEqual(t, want, collect(t, reader)[otelsig.DecisionsMetric], metricdatatest.IgnoreTimestamp())
}

// unsignedShare is the rollout figure the README's PromQL computes, read
// from a collection: unsigned decisions over all decisions.
func unsignedShare(m metricdata.Metrics) float64 {
	var unsigned, all int64
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		all += dp.Value
		if v, _ := dp.Attributes.Value(otelsig.OutcomeKey); v.AsString() == "unsigned" {
			unsigned += dp.Value
		}
	}
	return float64(unsigned) / float64(all)
}

func TestUnsignedShare(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp)
	require.NoError(t, err)

	// A report-only rollout: 6 clients sign, 1 sends a wrong signature
	// (refused even in report-only mode), 3 send none yet.
	ctx := context.Background()
	for i := range 6 {
		obs(ctx, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: i % 2})
	}
	obs(ctx, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "proficient", Secret: -1})
	for range 3 {
		obs(ctx, sighttp.Decision{Outcome: sighttp.Unsigned, Reason: "unsigned", Scheme: "proficient", Secret: -1})
	}
	assert.InDelta(t, 0.3, unsignedShare(collect(t, reader)[otelsig.DecisionsMetric]), 1e-9)
}

func TestConcurrentDecisions(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp)
	require.NoError(t, err)

	const goroutines, each = 8, 500
	reasons := []string{"invalid", "expired", "malformed", "missing", "duplicate"}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				obs(context.Background(), sighttp.Decision{
					Outcome: sighttp.Rejected, Reason: reasons[(g+i)%len(reasons)], Scheme: "proficient", Secret: -1,
				})
			}
		})
	}
	wg.Wait()

	var total int64
	sum := collect(t, reader)[otelsig.DecisionsMetric].Data.(metricdata.Sum[int64])
	require.Len(t, sum.DataPoints, len(reasons))
	for _, dp := range sum.DataPoints {
		assert.Equal(t, int64(goroutines*each/len(reasons)), dp.Value, dp.Attributes.Encoded(attribute.DefaultEncoder()))
		total += dp.Value
	}
	assert.Equal(t, int64(goroutines*each), total)
}

// Goroutines meeting new combinations at once (the attributes are built
// and kept while others read): every decision is counted under its own.
func TestConcurrentNewCombinations(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp, otelsig.WithTenantAttribute())
	require.NoError(t, err)

	const goroutines, tenants = 8, 300
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range tenants {
				tenant := "tenant-" + strconv.Itoa((i*7+g*31)%tenants)
				obs(context.Background(), sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "crisp", Tenant: tenant, Secret: 0})
			}
		})
	}
	wg.Wait()

	sum := collect(t, reader)[otelsig.DecisionsMetric].Data.(metricdata.Sum[int64])
	require.Len(t, sum.DataPoints, tenants)
	for _, dp := range sum.DataPoints {
		assert.Equal(t, int64(goroutines), dp.Value, dp.Attributes.Encoded(attribute.DefaultEncoder()))
	}
}

func TestSpanAttributes(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	obs, err := otelsig.New(noop.NewMeterProvider())
	require.NoError(t, err)

	tests := []struct {
		name string
		d    sighttp.Decision
		want []attribute.KeyValue
	}{
		{
			"accepted",
			sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "helpshift", Tenant: "acme", Secret: 1},
			[]attribute.KeyValue{accepted, otelsig.SchemeKey.String("helpshift")},
		},
		{
			"rejected",
			sighttp.Decision{Outcome: sighttp.Rejected, Reason: "expired", Scheme: "helpshift", Tenant: "acme", Secret: -1},
			[]attribute.KeyValue{rejected, otelsig.ReasonKey.String("expired"),
				otelsig.ErrorTypeKey.String("expired"), otelsig.SchemeKey.String("helpshift")},
		},
		{
			"unsigned",
			sighttp.Decision{Outcome: sighttp.Unsigned, Reason: "unsigned", Secret: -1},
			[]attribute.KeyValue{unsigned, otelsig.ReasonKey.String("unsigned")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, span := tp.Tracer("test").Start(context.Background(), "GET /api/inbox")
			obs(ctx, tt.d)
			span.End()
			ended := rec.Ended()
			require.NotEmpty(t, ended)
			// Exactly these: no tenant without WithTenantAttribute, and no
			// secret index on a span.
			assert.ElementsMatch(t, tt.want, ended[len(ended)-1].Attributes())
		})
	}

	t.Run("no span", func(t *testing.T) {
		assert.NotPanics(t, func() {
			obs(context.Background(), sighttp.Decision{Outcome: sighttp.Accepted, Secret: 0})
		})
	})

	t.Run("tenant under WithTenantAttribute", func(t *testing.T) {
		obs, err := otelsig.New(noop.NewMeterProvider(), otelsig.WithTenantAttribute())
		require.NoError(t, err)
		ctx, span := tp.Tracer("test").Start(context.Background(), "GET /api/inbox")
		obs(ctx, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "crisp", Tenant: "acme", Secret: 0})
		span.End()
		ended := rec.Ended()
		assert.ElementsMatch(t, []attribute.KeyValue{accepted, otelsig.SchemeKey.String("crisp"),
			otelsig.TenantKey.String("acme")}, ended[len(ended)-1].Attributes())
	})
}

func TestGauge(t *testing.T) {
	mp, reader := meterWithReader(t)
	var entries atomic.Int64
	staleness := math.Float64bits(0)
	var stale atomic.Uint64
	stale.Store(staleness)
	_, err := otelsig.New(mp,
		otelsig.WithGauge("usersig.cache.entries", "Signers held by the lookup cache.", "{entry}",
			func() float64 { return float64(entries.Load()) }),
		otelsig.WithGauge("usersig.store.staleness", "Time since the tenant store last synced.", "s",
			func() float64 { return math.Float64frombits(stale.Load()) }),
	)
	require.NoError(t, err)

	gauge := func(name, desc, unit string, v float64) metricdata.Metrics {
		return metricdata.Metrics{Name: name, Description: desc, Unit: unit,
			Data: metricdata.Gauge[float64]{DataPoints: []metricdata.DataPoint[float64]{{Value: v}}}}
	}
	entries.Store(42)
	stale.Store(math.Float64bits(1.5))
	got := collect(t, reader)
	metricdatatest.AssertEqual(t, gauge("usersig.cache.entries", "Signers held by the lookup cache.", "{entry}", 42),
		got["usersig.cache.entries"], metricdatatest.IgnoreTimestamp())
	metricdatatest.AssertEqual(t, gauge("usersig.store.staleness", "Time since the tenant store last synced.", "s", 1.5),
		got["usersig.store.staleness"], metricdatatest.IgnoreTimestamp())

	// Read again at the next collection.
	entries.Store(7)
	metricdatatest.AssertEqual(t, gauge("usersig.cache.entries", "Signers held by the lookup cache.", "{entry}", 7),
		collect(t, reader)["usersig.cache.entries"], metricdatatest.IgnoreTimestamp())
	// No decision yet: the counter reports nothing rather than a zero series.
	assert.NotContains(t, got, otelsig.DecisionsMetric)
}

func TestNewErrors(t *testing.T) {
	read := func() float64 { return 0 }
	tests := []struct {
		name string
		opt  otelsig.Option
	}{
		{"nil option", nil},
		{"gauge without name", otelsig.WithGauge("", "", "", read)},
		{"gauge without read", otelsig.WithGauge("usersig.cache.entries", "", "", nil)},
		{"gauge name the SDK refuses", otelsig.WithGauge("1 cache entries", "", "", read)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mp, _ := meterWithReader(t)
			obs, err := otelsig.New(mp, tt.opt)
			assert.ErrorIs(t, err, otelsig.ErrInvalidOption)
			assert.Nil(t, obs)
		})
	}
}

func TestNilMeterProviderIsGlobal(t *testing.T) {
	// The global provider is a no-op until one is set: New works, and the
	// Observer records nothing anywhere.
	obs, err := otelsig.New(nil)
	require.NoError(t, err)
	assert.NotPanics(t, func() { obs(context.Background(), sighttp.Decision{Outcome: sighttp.Accepted}) })
}

func TestAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("-race instrumentation allocates")
	}
	mp, _ := meterWithReader(t)
	obs, err := otelsig.New(mp, otelsig.WithTenantAttribute())
	require.NoError(t, err)
	ctx := context.Background()
	ds := []sighttp.Decision{
		{Outcome: sighttp.Accepted, Scheme: "proficient", Tenant: "acme", Secret: 0},
		{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "proficient", Tenant: "acme", Secret: -1},
		{Outcome: sighttp.Unsigned, Reason: "unsigned", Scheme: "proficient", Secret: -1},
	}
	for _, d := range ds {
		obs(ctx, d) // the first sight of a combination builds its attributes
	}
	for _, d := range ds {
		assert.Zero(t, testing.AllocsPerRun(100, func() { obs(ctx, d) }), d.Outcome.String())
	}
}
