package otelsig_test

import (
	"context"
	"testing"

	"github.com/usersig/usersig/contrib/otelsig"
	"github.com/usersig/usersig/sighttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkObserver measures one decision, with the SDK's meter unless the
// name says noop. Beside it in the same run: the floor (the SDK's counter
// incremented with a prepared attribute set, all that counting can cost)
// and the naive observer (building the attributes per call with
// metric.WithAttributes).
func BenchmarkObserver(b *testing.B) {
	ctx := context.Background()
	d := sighttp.Decision{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "proficient", Secret: -1}

	b.Run("noop_meter", func(b *testing.B) {
		obs, err := otelsig.New(noop.NewMeterProvider())
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			obs(ctx, d)
		}
	})
	b.Run("floor", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		counter, err := mp.Meter("floor").Int64Counter("decisions")
		if err != nil {
			b.Fatal(err)
		}
		opt := []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(
			otelsig.OutcomeKey.String("rejected"), otelsig.ReasonKey.String("invalid"),
			otelsig.ErrorTypeKey.String("invalid"), otelsig.SchemeKey.String("proficient")))}
		b.ReportAllocs()
		for b.Loop() {
			counter.Add(ctx, 1, opt...)
		}
	})
	b.Run("naive", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		counter, err := mp.Meter("naive").Int64Counter("decisions")
		if err != nil {
			b.Fatal(err)
		}
		naive := func(ctx context.Context, d sighttp.Decision) {
			counter.Add(ctx, 1, metric.WithAttributes(
				attribute.String("usersig.outcome", d.Outcome.String()), attribute.String("usersig.reason", d.Reason),
				attribute.String("error.type", d.Reason), attribute.String("usersig.scheme", d.Scheme)))
		}
		b.ReportAllocs()
		for b.Loop() {
			naive(ctx, d)
		}
	})
	b.Run("otelsig", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		obs, err := otelsig.New(mp)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			obs(ctx, d)
		}
	})
	b.Run("otelsig_tenant", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		obs, err := otelsig.New(mp, otelsig.WithTenantAttribute())
		if err != nil {
			b.Fatal(err)
		}
		d := d
		d.Tenant = "acme-corporation"
		b.ReportAllocs()
		for b.Loop() {
			obs(ctx, d)
		}
	})
	b.Run("otelsig_parallel", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		obs, err := otelsig.New(mp)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				obs(ctx, d)
			}
		})
	})
	b.Run("otelsig_recording_span", func(b *testing.B) {
		mp, _ := meterWithReader(b)
		obs, err := otelsig.New(mp)
		if err != nil {
			b.Fatal(err)
		}
		tp := sdktrace.NewTracerProvider()
		defer func() { _ = tp.Shutdown(ctx) }()
		tracer := tp.Tracer("bench")
		b.ReportAllocs()
		for b.Loop() {
			// A span per request, as a tracing middleware starts one; the
			// span's own cost is in span_alone.
			ctx, span := tracer.Start(ctx, "GET /api/inbox")
			obs(ctx, d)
			span.End()
		}
	})
	b.Run("span_alone", func(b *testing.B) {
		tp := sdktrace.NewTracerProvider()
		defer func() { _ = tp.Shutdown(ctx) }()
		tracer := tp.Tracer("bench")
		b.ReportAllocs()
		for b.Loop() {
			_, span := tracer.Start(ctx, "GET /api/inbox")
			span.End()
		}
	})
}
