package otelsig_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/otlptranslator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/contrib/otelsig"
	"github.com/usersig/usersig/sighttp"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
)

// The README's rollout query, over what Prometheus scrapes: the metric and
// label names it uses are the exporter's, and unsigned / all is the share.
func TestPrometheusNamesAndUnsignedShare(t *testing.T) {
	reg := prometheus.NewRegistry()
	exporter, err := otelprom.New(otelprom.WithRegisterer(reg),
		otelprom.WithTranslationStrategy(otlptranslator.UnderscoreEscapingWithSuffixes))
	require.NoError(t, err)
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exporter))
	t.Cleanup(func() { _ = mp.Shutdown(context.Background()) })
	obs, err := otelsig.New(mp, otelsig.WithTenantAttribute())
	require.NoError(t, err)

	ctx := context.Background()
	for i := range 12 {
		obs(ctx, sighttp.Decision{Outcome: sighttp.Accepted, Scheme: "proficient", Tenant: "acme", Secret: i % 3})
	}
	for range 3 {
		obs(ctx, sighttp.Decision{Outcome: sighttp.Rejected, Reason: "load-timeout", Secret: -1})
	}
	for range 5 {
		obs(ctx, sighttp.Decision{Outcome: sighttp.Unsigned, Reason: "unsigned", Scheme: "proficient", Tenant: "globex", Secret: -1})
	}

	srv := httptest.NewServer(promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	t.Cleanup(srv.Close)
	resp, err := http.Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.LegacyValidation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)

	family := families["usersig_decisions_total"]
	require.NotNil(t, family, "families: %v", keys(families))
	// sum by (label) (usersig_decisions_total{match})
	sumBy := func(label string, match map[string]string) map[string]float64 {
		out := map[string]float64{}
	next:
		for _, m := range family.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			for k, v := range match {
				if labels[k] != v {
					continue next
				}
			}
			out[labels[label]] += m.GetCounter().GetValue()
		}
		return out
	}
	all := sumBy("", nil)[""]
	unsigned := sumBy("", map[string]string{"usersig_outcome": "unsigned"})[""]
	assert.Equal(t, 20.0, all)
	assert.InDelta(t, 0.25, unsigned/all, 1e-9)

	assert.Equal(t, map[string]float64{"accepted": 12, "rejected": 3, "unsigned": 5}, sumBy("usersig_outcome", nil))
	assert.Equal(t, map[string]float64{"current": 4, "previous-1": 4, "previous-2": 4},
		sumBy("usersig_secret", map[string]string{"usersig_outcome": "accepted"}))
	assert.Equal(t, map[string]float64{"load-timeout": 3},
		sumBy("error_type", map[string]string{"usersig_outcome": "rejected"}))
	assert.Equal(t, map[string]float64{"load-timeout": 3},
		sumBy("usersig_reason", map[string]string{"usersig_outcome": "rejected"}))
	assert.Equal(t, map[string]float64{"acme": 12, "globex": 5, "": 3}, sumBy("usersig_tenant", nil))
	assert.Equal(t, map[string]float64{"proficient": 17, "": 3}, sumBy("usersig_scheme", nil))
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
