package otelsig_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/otelsig"
	"github.com/usersig/usersig/sighttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata/metricdatatest"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// observed is sighttp.Middleware reporting each decision to obs.
func observed(s *usersig.Signer, obs sighttp.Observer, opts ...sighttp.Option) func(http.Handler) http.Handler {
	return sighttp.Middleware(s, append(opts, sighttp.WithObserver(obs))...)
}

// A report-only rollout through net/http: the counter and the request's
// span see what the middleware decided.
func TestThroughMiddleware(t *testing.T) {
	mp, reader := meterWithReader(t)
	obs, err := otelsig.New(mp)
	require.NoError(t, err)
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })

	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_current_secret_0123456789abcdef"),
		usersig.WithPreviousSecrets([]byte("hsec_previous_secret_0123456789abcdef")))
	require.NoError(t, err)
	old, err := usersig.New(usersig.Proficient(), []byte("hsec_previous_secret_0123456789abcdef"))
	require.NoError(t, err)

	inbox := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	// The span a tracing middleware (otelhttp, say) would start outside.
	traced := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, span := tp.Tracer("test").Start(r.Context(), r.Method+" "+r.URL.Path)
			defer span.End()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	h := traced(observed(signer, obs, sighttp.WithUnsignedAllowed())(inbox))

	send := func(user string, from *usersig.Signer, signature string) int {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "/api/inbox", nil)
		if user != "" {
			req.Header.Set("X-PROFICIENT-USER-EXTERNAL-ID", user)
		}
		if from != nil {
			sig, err := from.Sign(usersig.Identity{UserID: user})
			require.NoError(t, err)
			signature = sig
		}
		if signature != "" {
			req.Header.Set("X-PROFICIENT-USER-HMAC", signature)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	assert.Equal(t, http.StatusOK, send("alice", signer, ""))
	assert.Equal(t, http.StatusOK, send("bob", signer, ""))
	assert.Equal(t, http.StatusOK, send("carol", old, "")) // a client still on the previous secret
	assert.Equal(t, http.StatusUnauthorized, send("mallory", nil, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
	assert.Equal(t, http.StatusUnauthorized, send("mallory", nil, "not base64"))
	assert.Equal(t, http.StatusOK, send("dave", nil, "")) // report-only: let through unsigned
	assert.Equal(t, http.StatusOK, send("", nil, ""))

	proficient := otelsig.SchemeKey.String("proficient")
	want := decisions(
		point(2, accepted, proficient, otelsig.SecretKey.String("current")),
		point(1, accepted, proficient, otelsig.SecretKey.String("previous-1")),
		point(1, rejected, proficient, otelsig.ReasonKey.String("invalid"), otelsig.ErrorTypeKey.String("invalid")),
		point(1, rejected, proficient, otelsig.ReasonKey.String("malformed"), otelsig.ErrorTypeKey.String("malformed")),
		point(2, unsigned, proficient, otelsig.ReasonKey.String("unsigned")),
	)
	// The SDK attaches the sampled requests' trace ids as exemplars.
	metricdatatest.AssertEqual(t, want, collect(t, reader)[otelsig.DecisionsMetric],
		metricdatatest.IgnoreTimestamp(), metricdatatest.IgnoreExemplars())

	spans := rec.Ended()
	require.Len(t, spans, 7)
	assert.ElementsMatch(t, []attribute.KeyValue{
		otelsig.OutcomeKey.String("rejected"), otelsig.ReasonKey.String("invalid"),
		otelsig.ErrorTypeKey.String("invalid"), otelsig.SchemeKey.String("proficient"),
	}, spans[3].Attributes())
	assert.ElementsMatch(t, []attribute.KeyValue{
		otelsig.OutcomeKey.String("unsigned"), otelsig.ReasonKey.String("unsigned"), otelsig.SchemeKey.String("proficient"),
	}, spans[5].Attributes())
}
