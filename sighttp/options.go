package sighttp

import (
	"errors"
	"github.com/usersig/usersig"
	"log/slog"
	"net/http"
	"net/textproto"
)

// A Option configures Middleware. A nil option, or an option given
// a nil function or logger, makes Middleware panic when it is called: these
// are programming errors, found when the handler chain is built rather than
// on the first request.
type Option func(*middlewareConfig)

type middlewareConfig struct {
	extract        Extractor
	lookup         func(*http.Request) (*usersig.Signer, error)
	unsignedPasses bool
	onError        func(http.ResponseWriter, *http.Request, error)
	logger         *slog.Logger
}

// WithExtractor sets where the middleware reads the credential: FromHeaders,
// FromQuery, FromCookie, or a function of your own.
//
// Default: FromHeaders with the usersig.Signer's usersig.Scheme().Headers when the scheme
// names a signature header (Proficient's X-PROFICIENT-USER-EXTERNAL-ID and
// X-PROFICIENT-USER-HMAC, Engagespot's, MagicBell's, Courier's, Product
// Fruits'), else X-User-Id, X-User-Email, X-User-Expires and
// X-User-Signature. With WithSignerLookup the default follows the scheme of
// the usersig.Signer each request is looked up to.
func WithExtractor(e Extractor) Option {
	return func(c *middlewareConfig) {
		if e == nil {
			panic("sighttp: WithExtractor(nil)")
		}
		c.extract = e
	}
}

// WithSignerLookup picks the usersig.Signer for each request, for a service that
// verifies for many projects, each with its own secret (and scheme). The
// usersig.Signer given to Middleware is then unused and may be nil.
//
// A lookup that returns an error, or a nil usersig.Signer, gets the request rejected
// 401 before its credential is read, whatever the other options say; return
// an error wrapping ErrUnknownSigner for an unknown key, so a custom error
// handler can tell it from, say, a failing database. SignersByHeader builds a
// lookup from a fixed map. Default: none, every request uses the usersig.Signer given
// to Middleware.
func WithSignerLookup(lookup func(*http.Request) (*usersig.Signer, error)) Option {
	return func(c *middlewareConfig) {
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
// A request that carries no signature (its signature field absent or empty)
// is passed to the next handler without an identity in its context —
// IdentityFromContext reports false, and the id the request claims is not
// vouched for — and logged as "unsigned" at Info level (see WithLogger), so
// you can see which clients still need updating. Everything else is checked
// as without the option: a request that does carry a signature which fails —
// malformed, wrong, another user's, expired — is still rejected, because a
// present but wrong signature is a forgery or a bug, not a client that has
// not been updated; and so is a request whose fields are repeated or too
// long, or for which WithSignerLookup finds no usersig.Signer. (An unsigned request
// passes with its context unchanged: behind another Middleware that did
// verify an identity, IdentityFromContext still reports that outer one.)
//
// Default: off; a request without a signature is rejected.
func WithUnsignedAllowed() Option {
	return func(c *middlewareConfig) { c.unsignedPasses = true }
}

// WithErrorHandler sets what answers a rejected request. It receives the
// reason as an error wrapping one of the package's sentinel errors
// (ErrNoSignature, ErrMalformedCredential, usersig.ErrMalformedSignature,
// usersig.ErrInvalidSignature, usersig.ErrExpired, usersig.ErrInvalidExpiry, usersig.ErrMissingIdentity,
// ErrUnknownSigner) or the error your extractor or lookup returned. It must
// write a response; the next handler is never called after a rejection.
//
// Tell the client as little as the default does: which check failed helps
// an attacker more than a user. Never write err.Error() to the response.
//
// Default: DefaultErrorHandler, a 401 with the body {"error":"unauthorized"}.
func WithErrorHandler(h func(w http.ResponseWriter, r *http.Request, err error)) Option {
	return func(c *middlewareConfig) {
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
//     "invalid-expiry", "no-identity", "unknown-signer", "error" (an error
//     of your extractor or lookup), or "unsigned" for a request let through;
//   - detail: the usersig.SignatureFormatError's or FieldError's reason,
//     when there is one;
//   - field: the header, parameter or cookie at fault, when one is;
//   - scheme, method and path.
//
// It never logs a secret, the expected signature, the presented signature
// or any other credential value, the query string, or the text of an error
// your extractor or lookup returned (which the package cannot vouch for).
// Default: no logging.
func WithLogger(l *slog.Logger) Option {
	return func(c *middlewareConfig) {
		if l == nil {
			panic("sighttp: WithLogger(nil)")
		}
		c.logger = l
	}
}

// ErrUnknownSigner: a signer lookup has no usersig.Signer for the request, such as
// an unknown or missing API key.
var ErrUnknownSigner = errors.New("sighttp: no signer for this request")

// SignersByHeader returns a lookup for WithSignerLookup that picks the
// usersig.Signer by the value of one request header, such as a vendor's publishable
// API key (Proficient's X-PROFICIENT-API-KEY; usersig.Scheme.Headers.APIKey names
// it). The map is copied; it may not hold an empty key or a nil usersig.Signer
// (SignersByHeader panics). A request without the header, or with a value
// not in the map, gets ErrUnknownSigner; one with the header twice or longer
// than 1 KiB gets a *FieldError (ErrMalformedCredential).
func SignersByHeader(name string, signers map[string]*usersig.Signer) func(*http.Request) (*usersig.Signer, error) {
	if name == "" {
		panic("sighttp: SignersByHeader with an empty header name")
	}
	key := textproto.CanonicalMIMEHeaderKey(name)
	m := make(map[string]*usersig.Signer, len(signers))
	for k, s := range signers {
		if s == nil {
			panic("sighttp: SignersByHeader with a nil Signer")
		}
		if k == "" {
			panic("sighttp: SignersByHeader with an empty key")
		}
		m[k] = s
	}
	return func(r *http.Request) (*usersig.Signer, error) {
		v, err := headerValue(r.Header, key)
		if err != nil {
			return nil, err
		}
		if s, ok := m[v]; ok {
			return s, nil
		}
		return nil, ErrUnknownSigner
	}
}
