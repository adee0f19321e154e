// Command vendor is a runnable multi-tenant verifier: the API a vendor such
// as Proficient runs for many customer projects. Each request names its
// project with the publishable X-PROFICIENT-API-KEY header and is verified
// with that project's secret; project "acme" has rotated its secret, and
// signatures made with the previous one still verify.
//
//	go run ./examples/vendor                      # http://127.0.0.1:8081
//	go run ./examples/vendor -addr 127.0.0.1:0    # a free port, printed
//
// It prints curl lines that pass and fail. The secrets are generated at
// startup and never printed.
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
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
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "vendor:", err)
		os.Exit(1)
	}
}

func newSecret() ([]byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	return []byte("hsec_" + base64.RawURLEncoding.EncodeToString(b[:])), nil
}

// run serves until ctx is done. Its first line of output is
// "listening on <URL>", then the demo's curl lines, each after a comment
// with the status it gets.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("vendor", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8081", "address to listen on; port 0 picks a free port")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h asked for the usage the flag package printed: not a failure
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}

	var secrets [3][]byte
	for i := range secrets {
		var err error
		if secrets[i], err = newSecret(); err != nil {
			return err
		}
	}
	acme := tenant{Name: "acme", APIKey: "pk_acme_3f9a", Secret: secrets[0], Previous: [][]byte{secrets[1]}}
	globex := tenant{Name: "globex", APIKey: "pk_globex_7c21", Secret: secrets[2]}

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	handler, err := newVendor([]tenant{acme, globex}, logger)
	if err != nil {
		return err
	}
	requests, err := demoRequests(acme, globex)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "listening on %s\n\n", base)
	for _, r := range requests {
		fmt.Fprintf(stdout, "# %d: %s\n%s\n\n", r.Want, r.Note, r.curl(base))
	}
	fmt.Fprintln(stdout, "The tenants' secrets were generated at startup and are not shown. Ctrl-C stops.")

	srv := httpServer(handler, logger)
	done := make(chan struct{})
	go func() {
		defer close(done)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	err = srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		<-done
		return nil
	}
	return err
}

// httpServer is the demo's http.Server with every timeout set, as a server
// facing the internet needs: without ReadTimeout and WriteTimeout a client
// that sends or reads a byte a minute holds a connection (and a goroutine)
// forever, and without IdleTimeout so does an idle keep-alive.
func httpServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
