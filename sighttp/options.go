package sighttp

import (
	"log/slog"
	"net/http"

	"github.com/usersig/usersig"
)

// An Option configures a Gate, and so Middleware and every adapter built on
// one (contrib/ginsig, echosig, fibersig, grpcsig). A nil option, or an option given a nil
// function, makes Middleware panic when it is called: these are programming
// errors, found when the handler chain is built rather than on the first
// request. (WithLogger(nil) is not one: it turns logging off.)
type Option func(*config)

type config struct {
	extract        Extractor // HTTP only
	headers        usersig.Headers
	headersSet     bool
	lookup         func(*http.Request) (*usersig.Signer, error) // HTTP only
	tenant         *tenantLookup
	unsignedPasses bool
	onError        func(http.ResponseWriter, *http.Request, error)
	logger         *slog.Logger
	observe        Observer
}

// WithHeaders sets the names the credential is read from (UserID, Email,
// Expires, Signature; an empty name is not read, APIKey is ignored), in any
// transport: HTTP headers, matched without regard to case, under
// Middleware and in fiber; lower-cased gRPC metadata keys in grpcsig.
// Under Middleware it is WithExtractor(FromHeaders(h)); the two may not be
// given together (NewGate panics).
//
// Default: the Signer's Scheme().Headers when the scheme names a signature
// header, else X-User-Id, X-User-Email, X-User-Expires and
// X-User-Signature; with a lookup, those of the Signer each request is
// looked up to.
func WithHeaders(h usersig.Headers) Option {
	return func(c *config) { c.headers, c.headersSet = h, true }
}

// WithObserver calls o once for each decision — accepted, rejected, or let
// through unsigned — with its outcome, reason word, scheme name, tenant key
// and which secret matched (see Decision), never a secret or a credential
// value. contrib/otelsig turns the decisions into OpenTelemetry metrics.
// It is called synchronously on the request's path: keep it fast. Default:
// none; WithObserver(nil) keeps it off.
func WithObserver(o Observer) Option {
	return func(c *config) { c.observe = o }
}

// WithExtractor sets where the middleware reads the credential: FromHeaders,
// FromQuery, FromCookie, or a function of your own. It reads an
// *http.Request, so it makes the Gate HTTP-only (see Gate.HTTPOnly): use
// WithHeaders for names that work in every transport.
//
// Default: FromHeaders with the Signer's Scheme().Headers when the scheme
// names a signature header (Proficient's X-PROFICIENT-USER-EXTERNAL-ID and
// X-PROFICIENT-USER-HMAC, Engagespot's, MagicBell's, Courier's), else
// X-User-Id, X-User-Email, X-User-Expires and X-User-Signature (Product
// Fruits, Intercom and every other preset whose signature travels in
// JavaScript). With WithSignerLookup the default follows the scheme of
// the Signer each request is looked up to.
func WithExtractor(e Extractor) Option {
	return func(c *config) {
		if e == nil {
			panic("sighttp: WithExtractor(nil)")
		}
		c.extract = e
	}
}

// WithSignerLookup picks the Signer for each request, for a service that
// verifies for many projects, each with its own secret (and scheme). The
// Signer given to Middleware is then unused and may be nil.
//
// A lookup that returns an error, or a nil Signer, gets the request rejected
// 401 before its credential is read, whatever the other options say; return
// an error wrapping ErrUnknownSigner for an unknown key, so a custom error
// handler can tell it from, say, a failing database. SignersByHeader builds a
// lookup from a fixed map. It reads an *http.Request, so it makes the Gate
// HTTP-only (see Gate.HTTPOnly); WithTenantLookup is the lookup for every
// transport. Default: none, every request uses the Signer given to
// Middleware.
func WithSignerLookup(lookup func(*http.Request) (*usersig.Signer, error)) Option {
	return func(c *config) {
		if lookup == nil {
			panic("sighttp: WithSignerLookup(nil)")
		}
		c.lookup = lookup
	}
}

// WithUnsignedAllowed is the report-only mode for rolling out verification,
// the way Intercom, Braze and Drift let a customer switch it on while older
// clients still send no signature.
//
// A request that carries no signature (its signature field absent or empty:
// the extractor returned ErrNoSignature) is passed to the next handler
// without an identity in its context — IdentityFromContext reports false,
// even behind an outer Middleware that verified one, and the id the request
// claims is not vouched for — and logged as "unsigned" at Info level (see
// WithLogger), so you can see which clients still need updating. Everything
// else is checked as without the option: a request that does carry a
// signature which fails — malformed, wrong, another user's, expired — is
// still rejected, because a present but wrong signature is a forgery or a
// bug, not a client that has not been updated; and so is a request whose
// fields are repeated or too long, or for which WithSignerLookup finds no
// Signer.
//
// Default: off; a request without a signature is rejected.
func WithUnsignedAllowed() Option {
	return func(c *config) { c.unsignedPasses = true }
}

// WithErrorHandler sets what answers a rejected request. It receives the
// reason as an error wrapping one of the sentinel errors (ErrNoSignature,
// ErrMalformedCredential, ErrUnknownSigner, usersig.ErrMalformedSignature,
// usersig.ErrInvalidSignature, usersig.ErrExpired, usersig.ErrInvalidExpiry,
// usersig.ErrMissingIdentity) or the error your extractor or lookup
// returned. It must write a response; the next handler is never called
// after a rejection.
//
// Tell the client as little as the default does: which check failed helps
// an attacker more than a user. Never write err.Error() to the response.
//
// It answers for Middleware and Gate.Admit, and so for ginsig and echosig;
// fibersig takes an error handler in fiber's terms (fibersig.Handler), and
// grpcsig answers every refusal with one fixed status.
//
// Default: DefaultErrorHandler, a 401 with the body {"error":"unauthorized"}.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(c *config) {
		if h == nil {
			panic("sighttp: WithErrorHandler(nil)")
		}
		c.onError = h
	}
}

// WithLogger logs each rejection, with the message "usersig: request
// rejected", and under WithUnsignedAllowed each unsigned request let
// through, with "usersig: unsigned request allowed", at Info level. The
// attributes are:
//
//   - reason: "missing", "duplicate", "oversized", "undecodable",
//     "malformed-field", "malformed", "invalid", "expired",
//     "not-yet-valid" (a timestamped signature signed after now),
//     "invalid-expiry", "no-identity", "unknown-signer", "rate-limited" or
//     "load-timeout" (a SignerCache's refusals, see CachedLookup), "error"
//     (an error of your extractor or lookup, or a failed load), or
//     "unsigned" for a request let through;
//   - detail: the usersig.SignatureFormatError's or FieldError's reason,
//     when there is one;
//   - field: the header, parameter or cookie at fault, when one is;
//   - scheme, method and path.
//
// A request accepted under a previous secret is logged too, with
// MsgPreviousSecret ("usersig: request verified under a previous secret")
// and the attributes secret ("previous-1", ...), scheme, tenant (when a
// tenant lookup found one), method and path: while such records appear,
// some client still signs with the old secret and the rotation cannot end.
//
// It never logs a secret, the expected signature, the presented signature
// or any other credential value, the query string, or the text of an error
// your extractor or lookup returned (which the package cannot vouch for).
// Default: no logging; WithLogger(nil) keeps it off.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}
