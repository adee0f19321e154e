// Command tenants is a multi-tenant verifier on the tenant store: each
// request names its project with Proficient's publishable API key header and
// is verified with that project's secret, held in memory and kept current
// from the store. With SQLite nothing needs installing:
//
//	export USERSIG_KEK=$(head -c 32 /dev/urandom | base64)
//	go run ./cmd/usersig tenants init --db tenants.db
//	go run ./cmd/usersig tenants add --db tenants.db --scheme proficient pk_acme   # prints the secret once
//	go run ./examples/tenants --db tenants.db                                        # http://127.0.0.1:8082
//
// Then rotate or revoke with `usersig tenants` while it runs: it follows
// within the poll interval. GET /api/whoami answers the verified user id;
// GET /healthz the replica's Health (503 while stale). --db also takes a
// PostgreSQL DSN.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/usersig/usersig/tenants"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "tenants:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done; its first line of output is
// "listening on <URL>".
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("tenants", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8082", "address to listen on; port 0 picks a free port")
	db := flags.String("db", "tenants.db", "SQLite path or PostgreSQL DSN of the tenant store")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	kek, err := tenants.ParseLocalKEK(getenv("USERSIG_KEK"))
	if err != nil {
		return fmt.Errorf("$USERSIG_KEK: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	st, err := tenants.Open(ctx, *db, tenants.Options{KEK: kek, Logger: logger})
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.Start(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on http://%s (%d tenants)\n", ln.Addr(), st.Health().Tenants)
	srv := &http.Server{Handler: newServer(st, logger), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer routes /api/ through the verifier, picking each request's
// tenant by its API key, and answers /healthz from the replica.
func newServer(st *tenants.Store, logger *slog.Logger) http.Handler {
	headers := usersig.Proficient().Headers
	whoami := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, _ := sighttp.IdentityFromContext(r.Context())
		fmt.Fprintf(w, "%s\n", id.UserID)
	})
	verify := sighttp.Middleware(nil,
		sighttp.WithTenantLookup(headers.APIKey, st),
		sighttp.WithHeaders(headers),
		sighttp.WithLogger(logger))
	mux := http.NewServeMux()
	mux.Handle("GET /api/whoami", verify(whoami))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		h := st.Health()
		w.Header().Set("Content-Type", "application/json")
		if h.Stale {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(map[string]any{
			"tenants": h.Tenants, "refused": h.Refused, "version": h.Version,
			"last_sync": h.LastSync, "listening": h.Listening, "stale": h.Stale,
		})
	})
	return mux
}
