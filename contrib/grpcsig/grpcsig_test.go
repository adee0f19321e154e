package grpcsig_test

import (
	"context"
	"net"
	"testing"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/selector"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/grpcsig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// probedHealth is the service behind the interceptors: each call tells p what
// sighttp.IdentityFromContext says, then answers SERVING.
type probedHealth struct {
	healthpb.UnimplementedHealthServer
	p *sighttptest.Probe
}

func (h probedHealth) Check(ctx context.Context, _ *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	h.p.Saw(sighttp.IdentityFromContext(ctx))
	return &healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING}, nil
}

func (h probedHealth) Watch(_ *healthpb.HealthCheckRequest, s grpc.ServerStreamingServer[healthpb.HealthCheckResponse]) error {
	h.p.Saw(sighttp.IdentityFromContext(s.Context()))
	return s.Send(&healthpb.HealthCheckResponse{Status: healthpb.HealthCheckResponse_SERVING})
}

// serve starts a real grpc-go server with opts on an in-memory listener and
// returns a client connected to it; both stop with the test.
func serve(t testing.TB, p *sighttptest.Probe, opts ...grpc.ServerOption) healthpb.HealthClient {
	lis := bufconn.Listen(1 << 20)
	srv := grpc.NewServer(opts...)
	healthpb.RegisterHealthServer(srv, probedHealth{p: p})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	return healthpb.NewHealthClient(conn)
}

// guarded serves the Gate built from opts through both interceptors.
func guarded(t *testing.T, p *sighttptest.Probe, opts ...sighttp.Option) healthpb.HealthClient {
	g := sighttp.NewGate(sighttptest.Signer(t), opts...)
	return serve(t, p, grpc.ChainUnaryInterceptor(grpcsig.UnaryServerInterceptor(g)),
		grpc.ChainStreamInterceptor(grpcsig.StreamServerInterceptor(g)))
}

// outgoing puts a case's fields in the call's metadata, a name sent twice
// as two header fields on the wire.
func outgoing(c sighttptest.Case) context.Context {
	return metadata.NewOutgoingContext(context.Background(), outgoingMD(c))
}

func outgoingMD(c sighttptest.Case) metadata.MD {
	md := metadata.MD{}
	for name, vs := range c.Header {
		md.Append(name, vs...)
	}
	return md
}

// incoming is ctx as a server sees a call that sent md.
func incoming(ctx context.Context, md metadata.MD) context.Context {
	return metadata.NewIncomingContext(ctx, md)
}

// assertRefused checks err is the one refusal: Unauthenticated, Message,
// no details.
func assertRefused(t *testing.T, err error) {
	t.Helper()
	st, ok := status.FromError(err)
	require.True(t, ok, "a gRPC status: %v", err)
	assert.Equal(t, codes.Unauthenticated, st.Code())
	assert.Equal(t, grpcsig.Message, st.Message())
	assert.Empty(t, st.Details())
}

func unary(client healthpb.HealthClient) sighttptest.Send {
	return func(t *testing.T, c sighttptest.Case) bool {
		_, err := client.Check(outgoing(c), &healthpb.HealthCheckRequest{})
		if err == nil {
			return true
		}
		assertRefused(t, err)
		return false
	}
}

func streaming(client healthpb.HealthClient) sighttptest.Send {
	return func(t *testing.T, c sighttptest.Case) bool {
		ctx, cancel := context.WithCancel(outgoing(c))
		defer cancel()
		stream, err := client.Watch(ctx, &healthpb.HealthCheckRequest{})
		require.NoError(t, err)
		_, err = stream.Recv()
		if err == nil {
			return true
		}
		assertRefused(t, err)
		return false
	}
}

func TestUnary(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return unary(guarded(t, p, opts...))
	})
}

func TestStreaming(t *testing.T) {
	sighttptest.RunSuite(t, func(p *sighttptest.Probe, opts ...sighttp.Option) sighttptest.Send {
		return streaming(guarded(t, p, opts...))
	})
}

// The tenant key comes from the metadata too, under the same rules.
func TestTenantLookup(t *testing.T) {
	var p sighttptest.Probe
	rec := sighttptest.NewRecorder()
	src := sighttp.SignerMap{"pk_alice": sighttptest.Signer(t)}
	g := sighttp.NewGate(nil, append(rec.Options(), sighttp.WithTenantLookup("X-Api-Key", src))...)
	client := serve(t, &p, grpc.ChainUnaryInterceptor(grpcsig.UnaryServerInterceptor(g)))
	for _, c := range []struct {
		keys   []string
		reason string
	}{
		{[]string{"pk_alice"}, ""},
		{nil, sighttp.ReasonUnknownSigner},
		{[]string{"pk_bob"}, sighttp.ReasonUnknownSigner},
		{[]string{"pk_alice", "pk_alice"}, sighttp.ReasonDuplicate},
	} {
		req := sighttptest.Valid()
		req.Header["X-Api-Key"] = c.keys
		passed := unary(client)(t, req)
		assert.Equal(t, c.reason == "", passed, c.keys)
		reasons, ds := rec.Take()
		if c.reason == "" {
			assert.Empty(t, reasons)
			assert.Equal(t, []sighttp.Decision{{Outcome: sighttp.Accepted, Scheme: "sighttptest", Tenant: "pk_alice"}}, ds)
		} else {
			assert.Equal(t, []string{c.reason}, reasons)
			assert.Equal(t, []sighttp.Decision{{Outcome: sighttp.Rejected, Reason: c.reason, Secret: -1}}, ds)
		}
		p.Take()
	}
}

// With selector, the methods it does not match go unverified: here Check
// is open and Watch protected.
func TestSelectorSkipsMethods(t *testing.T) {
	var p sighttptest.Probe
	g := sighttp.NewGate(sighttptest.Signer(t))
	protected := selector.MatchFunc(func(_ context.Context, c interceptors.CallMeta) bool {
		return c.Method != "Check"
	})
	client := serve(t, &p,
		grpc.ChainUnaryInterceptor(selector.UnaryServerInterceptor(auth.UnaryServerInterceptor(grpcsig.AuthFunc(g)), protected)),
		grpc.ChainStreamInterceptor(selector.StreamServerInterceptor(auth.StreamServerInterceptor(grpcsig.AuthFunc(g)), protected)))
	unsigned := sighttptest.RefusedCase("missing")
	assert.True(t, unary(client)(t, unsigned), "Check is skipped")
	calls, _, ok := p.Take()
	assert.Equal(t, 1, calls)
	assert.False(t, ok)
	assert.False(t, streaming(client)(t, unsigned), "Watch is verified")
	assert.True(t, streaming(client)(t, sighttptest.Valid()))
	_, id, _ := p.Take()
	assert.Equal(t, "alice", id.UserID)
}

func TestHTTPOnlyGatePanics(t *testing.T) {
	s := sighttptest.Signer(t)
	assert.Panics(t, func() {
		grpcsig.AuthFunc(sighttp.NewGate(s, sighttp.WithExtractor(sighttp.FromQuery(usersig.Headers{Signature: "sig"}))))
	})
	assert.NotPanics(t, func() { grpcsig.AuthFunc(sighttp.NewGate(s)) })
}
