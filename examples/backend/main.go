// Command backend is a runnable demonstration of usersig: a demo login, an
// endpoint that hands the logged-in user's signature to the front end
// (sighttp.MintHandler), an API that accepts only signed requests
// (sighttp.Middleware), and a page whose script does Proficient's front-end
// flow: log in, fetch the hash from /hmac, call /api/inbox with
// X-PROFICIENT-USER-EXTERNAL-ID and X-PROFICIENT-USER-HMAC, and tamper with
// them to see the 401.
//
//	go run ./examples/backend                      # http://127.0.0.1:8080
//	go run ./examples/backend -addr 127.0.0.1:0    # a free port, printed
//
// The HMAC secret is generated at startup and never printed.
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
		fmt.Fprintln(os.Stderr, "backend:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done. Its first line of output is
// "listening on <URL>", which scripts and tests wait for.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("backend", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil // -h asked for the usage the flag package printed: not a failure
		}
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}

	// A fresh secret shaped like Proficient's hsec_ secrets. Never printed.
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return err
	}
	secret := []byte("hsec_" + base64.RawURLEncoding.EncodeToString(key[:]))

	logger := slog.New(slog.NewTextHandler(stderr, nil))
	handler, err := newServer(secret, logger)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "listening on %s\n", base)
	fmt.Fprintf(stdout, `
Open %[1]s/ in a browser, or with curl:

  curl -s -c /tmp/usersig-demo.jar -d username=alice %[1]s/login
  SIG=$(curl -s -b /tmp/usersig-demo.jar %[1]s/hmac | sed -E 's/.*"signature":"([^"]*)".*/\1/')
  curl -s -H 'X-PROFICIENT-USER-EXTERNAL-ID: alice' -H "X-PROFICIENT-USER-HMAC: $SIG" %[1]s/api/inbox   # 200
  curl -s -H 'X-PROFICIENT-USER-EXTERNAL-ID: bob' -H "X-PROFICIENT-USER-HMAC: $SIG" %[1]s/api/inbox     # 401

The HMAC secret was generated at startup and is not shown. Ctrl-C stops.
`, base)

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
