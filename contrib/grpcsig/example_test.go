package grpcsig_test

import (
	"context"
	"fmt"
	"net"

	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/auth"
	"github.com/grpc-ecosystem/go-grpc-middleware/v2/interceptors/selector"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/contrib/grpcsig"
	"github.com/usersig/usersig/sighttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/test/bufconn"
)

// Every method is verified except the health check, which load balancers
// call without credentials: AuthFunc composes with selector.
func ExampleAuthFunc() {
	signer, _ := usersig.New(usersig.Proficient(), []byte("hsec_example_secret_0123456789abcdef"))
	gate := sighttp.NewGate(signer)
	notHealth := selector.MatchFunc(func(_ context.Context, c interceptors.CallMeta) bool {
		return c.FullMethod() != healthpb.Health_Check_FullMethodName
	})
	srv := grpc.NewServer(
		grpc.ChainUnaryInterceptor(selector.UnaryServerInterceptor(auth.UnaryServerInterceptor(grpcsig.AuthFunc(gate)), notHealth)),
		grpc.ChainStreamInterceptor(selector.StreamServerInterceptor(auth.StreamServerInterceptor(grpcsig.AuthFunc(gate)), notHealth)),
	)
	healthpb.RegisterHealthServer(srv, health.NewServer())
	lis := bufconn.Listen(1 << 16)
	go func() { _ = srv.Serve(lis) }()
	defer srv.Stop()
	conn, _ := grpc.NewClient("passthrough:///example",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	defer conn.Close()

	// The health check goes through without a signature.
	client := healthpb.NewHealthClient(conn)
	res, err := client.Check(context.Background(), &healthpb.HealthCheckRequest{})
	fmt.Println(res.GetStatus(), err)

	// Any other method needs one: a forged call learns nothing but this.
	ctx := metadata.AppendToOutgoingContext(context.Background(),
		"x-proficient-user-external-id", "alice", "x-proficient-user-hmac", "forged")
	_, err = client.List(ctx, &healthpb.HealthListRequest{})
	st, _ := status.FromError(err)
	fmt.Println(st.Code(), st.Message())
	// Output:
	// SERVING <nil>
	// Unauthenticated unauthenticated
}
