package sighttp

import (
	"errors"
	"strconv"
)

// The errors of reading a request. Together with the core's errors
// (usersig.ErrMalformedSignature, usersig.ErrInvalidSignature,
// usersig.ErrExpired, usersig.ErrInvalidExpiry, usersig.ErrMissingIdentity)
// they are what an error handler (see WithErrorHandler) is given; test them
// with errors.Is. No error text ever holds a credential value or a secret.
var (
	// ErrNoSignature: the request carries no signature — the signature
	// header (or parameter, or cookie) is absent or empty.
	ErrNoSignature = errors.New("sighttp: request has no signature")

	// ErrMalformedCredential: a credential field in the request is sent more
	// than once, is longer than 1 KiB, or cannot be decoded. The wrapping
	// *FieldError says which field and why, never what it held.
	ErrMalformedCredential = errors.New("sighttp: malformed credential in request")

	// ErrUnknownSigner: a signer lookup has no Signer for the request, such
	// as an unknown or missing API key.
	ErrUnknownSigner = errors.New("sighttp: no signer for this request")
)

// The errors of a SignerCache (and so of CachedLookup). Each is a 401, like
// the rest; they differ only in the reason WithLogger logs.
var (
	// ErrRateLimited: the cache did not ask its loader for a key it has
	// never seen load well, because its load budget (WithCacheLoadRate) had
	// no token within WithCacheLoadWait. Logged as "rate-limited".
	ErrRateLimited = errors.New("sighttp: signer load refused by the load budget")

	// ErrLoadTimeout: the loader did not return within WithCacheLoadTimeout.
	// It comes wrapped with ErrLoadFailed. Logged as "load-timeout".
	ErrLoadTimeout = errors.New("sighttp: signer load timed out")

	// ErrLoadFailed: the loader failed — an error other than an unknown key
	// (which it wraps, with the loader's text), a panic (whose value is
	// dropped) or a timeout. Logged as "error", or "load-timeout".
	ErrLoadFailed = errors.New("sighttp: signer load failed")
)

// A FieldError says which credential field of a request was refused and
// why. It wraps ErrMalformedCredential and never quotes the value, so it is
// safe to log.
type FieldError struct {
	Source string // "header", "query" or "cookie"
	Name   string // the header, query parameter or cookie name
	Reason string // e.g. "is sent more than once"
}

// Error names the source, the field and the reason, never the value.
func (e *FieldError) Error() string {
	return "sighttp: malformed credential: " + e.Source + " " + strconv.Quote(e.Name) + " " + e.Reason
}

// Unwrap returns ErrMalformedCredential.
func (e *FieldError) Unwrap() error { return ErrMalformedCredential }

// The reasons of a FieldError.
const (
	reasonRepeated     = "is sent more than once"
	reasonTooLong      = "is longer than 1024 bytes"
	reasonUndecodable  = "is not valid percent-encoding"
	reasonCookieOctets = "holds a byte a cookie value may not"
)

func fieldError(source, name, reason string) error {
	return &FieldError{Source: source, Name: name, Reason: reason}
}
