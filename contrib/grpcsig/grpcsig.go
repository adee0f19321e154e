// Package grpcsig verifies usersig signatures in a grpc-go server: the gRPC
// shell of sighttp's Gate, with sighttp's options, the same request rules,
// the same logged reasons and Decisions as sighttp.Middleware, and the
// credential read from the call's incoming metadata.
//
//	gate := sighttp.NewGate(signer)
//	srv := grpc.NewServer(
//		grpc.ChainUnaryInterceptor(grpcsig.UnaryServerInterceptor(gate)),
//		grpc.ChainStreamInterceptor(grpcsig.StreamServerInterceptor(gate)),
//	)
//	// in a method:
//	id, _ := sighttp.IdentityFromContext(ctx)
//
// # Skipping methods
//
// AuthFunc is a go-grpc-middleware v2 auth.AuthFunc, and the interceptors
// are that package's auth interceptors over it, so it composes with
// selector to leave methods such as health checks unverified:
//
//	verify := selector.UnaryServerInterceptor(
//		auth.UnaryServerInterceptor(grpcsig.AuthFunc(gate)),
//		selector.MatchFunc(func(_ context.Context, c interceptors.CallMeta) bool {
//			return c.FullMethod() != healthpb.Health_Check_FullMethodName
//		}))
//
// As with any auth.AuthFunc, a service that implements
// auth.ServiceAuthFuncOverride replaces the check with its own
// AuthFuncOverride for all its methods: implement it only to verify
// otherwise, never to skip verification by accident.
//
// # Refusals
//
// Every refusal is status code Unauthenticated with the fixed message
// Message: the message reaches the client verbatim, so it says nothing of
// which check failed. The reason is in the log (sighttp.WithLogger) and the
// Decision (sighttp.WithObserver).
package grpcsig

import (
	"context"
	"strings"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"github.com/usersig/usersig/sighttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// Message is the whole message of every refusal, whatever failed.
const Message = "unauthenticated"

// errRefused is the one status every refusal returns.
var errRefused = status.Error(codes.Unauthenticated, Message)

// AuthFunc returns the go-grpc-middleware auth.AuthFunc that decides a call
// with g: it reads the credential (and WithTenantLookup's key) from the
// incoming metadata, whose keys are lower case on the wire, so header names
// match without regard to case; a key sent twice or longer than 1 KiB is
// refused. On acceptance the context it returns carries the identity for
// sighttp.IdentityFromContext; under sighttp.WithUnsignedAllowed an unsigned
// call goes on without one. Any refusal is codes.Unauthenticated with
// Message.
//
// AuthFunc panics on a Gate built with sighttp.WithExtractor or
// WithSignerLookup, which read an *http.Request a call does not have (use
// WithHeaders and WithTenantLookup).
func AuthFunc(g *sighttp.Gate) auth.AuthFunc {
	if g.HTTPOnly() {
		panic("grpcsig: the Gate reads an *http.Request; use sighttp.WithHeaders and WithTenantLookup")
	}
	return func(ctx context.Context) (context.Context, error) {
		method, _ := grpc.Method(ctx)
		get := func(name string) []string { return metadata.ValueFromIncomingContext(ctx, strings.ToLower(name)) }
		ctx, err := g.Check(ctx, sighttp.Request{Header: get, Method: "POST", Path: method})
		if err != nil {
			return nil, errRefused
		}
		return ctx, nil
	}
}

// UnaryServerInterceptor verifies every unary call with g: it is
// auth.UnaryServerInterceptor(AuthFunc(g)).
func UnaryServerInterceptor(g *sighttp.Gate) grpc.UnaryServerInterceptor {
	return auth.UnaryServerInterceptor(AuthFunc(g))
}

// StreamServerInterceptor verifies every streaming call with g, once, when
// it opens: it is auth.StreamServerInterceptor(AuthFunc(g)), and the
// stream's Context carries the identity.
func StreamServerInterceptor(g *sighttp.Gate) grpc.StreamServerInterceptor {
	return auth.StreamServerInterceptor(AuthFunc(g))
}
