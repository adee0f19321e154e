package otelsig_test

import (
	"bufio"
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/otlptranslator"
	"github.com/usersig/usersig/contrib/otelsig"
	"github.com/usersig/usersig/sighttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// Export the decisions to Prometheus through OpenTelemetry's Prometheus
// exporter, and scrape them as Prometheus would.
func ExampleNew_prometheus() {
	reg := prometheus.NewRegistry()
	exporter, err := otelprom.New(
		otelprom.WithRegisterer(reg),
		// Prometheus-style names: usersig.decisions becomes
		// usersig_decisions_total, usersig.outcome usersig_outcome.
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes),
		otelprom.WithoutScopeInfo(), // shorter lines for the example
	)
	if err != nil {
		log.Fatal(err)
	}
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	defer func() { _ = mp.Shutdown(context.Background()) }()

	var cached atomic.Int64 // a lookup cache's size, say
	cached.Store(2)
	obs, err := otelsig.New(mp,
		otelsig.WithGauge("usersig.cache.entries", "Signers held by the lookup cache.", "{entry}",
			func() float64 { return float64(cached.Load()) }))
	if err != nil {
		log.Fatal(err)
	}

	// In a service: sighttp.Middleware(signer, sighttp.WithObserver(obs)).
	// Here, the decisions a report-only rollout might see.
	ctx := context.Background()
	for _, d := range []sighttp.Decision{
		{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 0},
		{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 0},
		{Outcome: sighttp.Accepted, Scheme: "proficient", Secret: 1},
		{Outcome: sighttp.Rejected, Reason: "invalid", Scheme: "proficient", Secret: -1},
		{Outcome: sighttp.Unsigned, Reason: "unsigned", Scheme: "proficient", Secret: -1},
	} {
		obs(ctx, d)
	}

	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	lines := bufio.NewScanner(resp.Body)
	for lines.Scan() {
		if strings.HasPrefix(lines.Text(), "usersig_") {
			fmt.Println(lines.Text())
		}
	}
	// Output:
	// usersig_cache_entries 2
	// usersig_decisions_total{usersig_outcome="accepted",usersig_scheme="proficient",usersig_secret="current"} 2
	// usersig_decisions_total{usersig_outcome="accepted",usersig_scheme="proficient",usersig_secret="previous-1"} 1
	// usersig_decisions_total{usersig_outcome="unsigned",usersig_reason="unsigned",usersig_scheme="proficient"} 1
	// usersig_decisions_total{error_type="invalid",usersig_outcome="rejected",usersig_reason="invalid",usersig_scheme="proficient"} 1
}
