package fibersig

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
)

// An Option configures Middleware. A nil option, or an option given a nil
// function, makes Middleware panic when it is called: these are programming
// errors, found when the app is built rather than on the first request.
type Option func(*config)

type config struct {
	headers        usersig.Headers
	headersSet     bool
	lookup         func(*fiber.Ctx) (*usersig.Signer, error)
	unsignedPasses bool
	onError        func(*fiber.Ctx, error) error
	logger         *slog.Logger
}

// WithHeaders sets the request headers the credential is read from (UserID,
// Email, Expires, Signature; an empty name is not read, APIKey is ignored).
//
// Default: the Signer's Scheme().Headers when the scheme names a signature
// header (Proficient's X-PROFICIENT-USER-EXTERNAL-ID and
// X-PROFICIENT-USER-HMAC, say), else X-User-Id, X-User-Email,
// X-User-Expires and X-User-Signature, as sighttp.Middleware reads; under
// WithSignerLookup, those of the Signer each request is looked up to.
func WithHeaders(h usersig.Headers) Option {
	return func(c *config) { c.headers, c.headersSet = h, true }
}

// WithSignerLookup picks the Signer for each request, for a service that
// verifies for many projects, each with its own secret (and scheme); see
// LookupByHeader. The Signer given to Middleware is then unused and may be
// nil.
//
// A lookup that returns an error, or a nil Signer, gets the request refused
// before its credential is read, whatever the other options say; return an
// error wrapping sighttp.ErrUnknownSigner for an unknown key, so an error
// handler can tell it from, say, a failing database. Default: none.
func WithSignerLookup(lookup func(c *fiber.Ctx) (*usersig.Signer, error)) Option {
	return func(c *config) {
		if lookup == nil {
			panic("fibersig: WithSignerLookup(nil)")
		}
		c.lookup = lookup
	}
}

// WithUnsignedAllowed is the report-only mode for rolling out
// verification, as sighttp.WithUnsignedAllowed: a request whose signature
// header is absent or empty goes on to c.Next without an identity (and is
// logged as "unsigned"); a request that carries a signature which fails,
// or a header sent twice or too long, or for which the lookup finds no
// Signer, is still refused. Such a request passes with c.Locals and the
// UserContext as they were. Default: off.
func WithUnsignedAllowed() Option {
	return func(c *config) { c.unsignedPasses = true }
}

// WithErrorHandler sets what answers a refused request. It receives the
// reason as an error wrapping one of sighttp's or usersig's sentinel errors
// (sighttp.ErrNoSignature, sighttp.ErrMalformedCredential,
// sighttp.ErrUnknownSigner, usersig.ErrInvalidSignature, ...) or the error
// your lookup returned, and its return value is Middleware's: return nil
// after writing a response, or an error for fiber's ErrorHandler to answer.
// c.Next is never called after a refusal.
//
// Tell the client as little as the default does; never write err.Error()
// to the response. Default: DefaultErrorHandler.
func WithErrorHandler(h func(c *fiber.Ctx, err error) error) Option {
	return func(c *config) {
		if h == nil {
			panic("fibersig: WithErrorHandler(nil)")
		}
		c.onError = h
	}
}

// WithLogger logs each refusal, and each unsigned request let through,
// exactly as sighttp.WithLogger does: the same messages, the same reason
// words (package refusal's), detail and field where there are any, scheme,
// method and path; never a secret, a credential value, the query string or
// the text of your lookup's error. WithLogger(nil) turns logging off, the
// default.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}
