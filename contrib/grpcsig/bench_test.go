package grpcsig_test

import (
	"context"
	"testing"

	"github.com/usersig/usersig/contrib/grpcsig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/sighttp/sighttptest"
	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// BenchmarkGRPC is grpcsig's cost on an accepted unary call against the
// same server without it (bare), in one run, through a real client and
// server over an in-memory connection: interceptor is the call with the
// auth interceptor, whose Gate only reads the metadata and verifies.
func BenchmarkGRPC(b *testing.B) {
	ctx := outgoing(sighttptest.Valid())
	run := func(b *testing.B, opts ...grpc.ServerOption) {
		var p sighttptest.Probe
		client := serve(b, &p, opts...)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := client.Check(ctx, &healthpb.HealthCheckRequest{}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("bare", func(b *testing.B) { run(b) })
	b.Run("grpcsig", func(b *testing.B) {
		run(b, grpc.ChainUnaryInterceptor(grpcsig.UnaryServerInterceptor(sighttp.NewGate(sighttptest.Signer(b)))))
	})
}

// BenchmarkAuthFunc is the decision alone, without the transport.
func BenchmarkAuthFunc(b *testing.B) {
	auth := grpcsig.AuthFunc(sighttp.NewGate(sighttptest.Signer(b)))
	md := outgoingMD(sighttptest.Valid())
	ctx := incoming(context.Background(), md)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := auth(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
