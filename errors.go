package usersig

import (
	"errors"
	"fmt"
)

// The errors of this package. Every error it returns wraps at least one of
// them, so callers test with errors.Is; the sighttp package adds its own
// (ErrNoSignature, ErrMalformedCredential, ErrUnknownSigner) and usertoken's
// errors wrap these where the meaning is the same. No error text ever
// contains a secret or the signature that was expected.
var (
	// ErrEmptySecret: New was given an empty secret.
	ErrEmptySecret = errEmptySecret

	// ErrWeakSecret: the secret is shorter than MinSecretLen bytes and
	// WithShortSecretsAllowed was not given.
	ErrWeakSecret = errWeakSecret

	// ErrMissingIdentity: the identity lacks every field the scheme signs
	// (an empty user id for UserID, say).
	ErrMissingIdentity = errMissingIdentity

	// ErrMalformedSignature: the text is not the scheme's exact canonical
	// form (length, alphabet, padding, trailing bits, whitespace, case, a
	// 0x prefix). The wrapping *SignatureFormatError says which rule, in
	// words a person can act on.
	ErrMalformedSignature = errMalformedSignature

	// ErrInvalidSignature: the text is well-formed but is not the MAC of
	// this identity under any accepted secret.
	ErrInvalidSignature = errInvalidSignature

	// ErrExpired: now >= ExpiresAt + leeway, or, for a timestamped
	// signature (UserIDTimestamp), now >= its signing time + the freshness
	// window + leeway. An expired identity is never accepted, whatever its
	// signature.
	ErrExpired = errExpired

	// ErrIssuedInFuture: a timestamped signature (UserIDTimestamp) names a
	// signing time later than now + leeway: the signer's clock runs ahead
	// of the verifier's by more than WithLeeway allows. It is refused
	// because a future time would stretch the freshness window.
	ErrIssuedInFuture = errIssuedInFuture

	// ErrInvalidExpiry: an expiry cannot be written as the scheme signs it
	// (outside the years 0000-9999), an expiry text a client sent is not
	// RFC 3339, or WithExpiryRequired is on and there is no expiry.
	ErrInvalidExpiry = errInvalidExpiry

	// ErrInvalidScheme: a Scheme has no Composer, an unknown MessageRule, or
	// an unknown Encoding; or a Signer is the zero value.
	ErrInvalidScheme = errInvalidScheme

	// ErrInvalidOption: an Option is nil, was given a value it cannot use,
	// or does not fit the scheme (WithExpiryRequired where the expiry is
	// not signed).
	ErrInvalidOption = errInvalidOption

	// ErrMalformedSecret: the secret is not in the form the scheme's vendor
	// hands it out in (Scheme.SecretEncoding), such as a Pylon secret that
	// is not even-length hex. The error text says which rule and never
	// shows the secret.
	ErrMalformedSecret = errMalformedSecret

	// ErrSecretFile: ReadSecretFile or ReadSecret could not produce a
	// secret: the file cannot be read, is over 64 KiB, or is empty.
	ErrSecretFile = errSecretFile
)

// The values the code returns. The exported names above are variables, as
// is Go's custom, so a caller could reassign one; returning these instead
// means no assignment anywhere can turn a refusal into a nil error.
var (
	errEmptySecret        = errors.New("usersig: empty secret")
	errWeakSecret         = errors.New("usersig: secret too short")
	errMissingIdentity    = errors.New("usersig: identity has nothing to sign")
	errMalformedSignature = errors.New("usersig: malformed signature")
	errInvalidSignature   = errors.New("usersig: invalid signature")
	errExpired            = errors.New("usersig: identity expired")
	errIssuedInFuture     = errors.New("usersig: signed in the future")
	errInvalidExpiry      = errors.New("usersig: invalid expiry")
	errInvalidScheme      = errors.New("usersig: invalid scheme")
	errInvalidOption      = errors.New("usersig: invalid option")
	errSecretFile         = errors.New("usersig: unusable secret file")
	errMalformedSecret    = errors.New("usersig: malformed secret")
)

// Fixed refusals, made once.
var (
	errInvalidRule    = fmt.Errorf("%w: unknown MessageRule", errInvalidScheme)
	errZeroSigner     = fmt.Errorf("%w: a zero Signer; make one with New", errInvalidScheme)
	errExpiryRequired = fmt.Errorf("%w: this Signer requires an expiry (WithExpiryRequired)", errInvalidExpiry)
	errNilOption      = fmt.Errorf("%w: nil Option", errInvalidOption)
	// errEngine cannot happen once New's self-test has passed; it exists
	// so that a failure is a refusal, never a MAC over the wrong bytes.
	errEngine = fmt.Errorf("%w: the MAC engine failed", errInvalidScheme)
)

// Fixed refusals of timestamped signatures (UserIDTimestamp), made once.
var (
	errStale           = fmt.Errorf("%w: the signature's signing time is older than the freshness window", errExpired)
	errNoStamp         = &missingError{what: "signing time (a Signer stamps it when it signs; Scheme.AppendMessage reads it from the signature)"}
	errClockOutOfRange = invalidExpiry("the clock is outside the Unix seconds a timestamped signature can carry (1970 to 33658)")
)

// A SignatureFormatError says why a signature's text is not canonical in its
// encoding. It wraps ErrMalformedSignature and never quotes the text.
type SignatureFormatError struct {
	Encoding Encoding
	Reason   string // e.g. "is missing its '=' padding"
}

func (e *SignatureFormatError) Error() string {
	return "usersig: malformed " + e.Encoding.String() + " signature: it " + e.Reason
}

// Unwrap returns ErrMalformedSignature.
func (e *SignatureFormatError) Unwrap() error { return errMalformedSignature }

func malformed(e Encoding, reason string) error {
	return &SignatureFormatError{Encoding: e, Reason: reason}
}

// missingError names what a composer needed; it wraps ErrMissingIdentity.
type missingError struct{ what string }

func (e *missingError) Error() string { return "usersig: identity has nothing to sign: no " + e.what }
func (e *missingError) Unwrap() error { return errMissingIdentity }

func missing(what string) error { return &missingError{what: what} }

// expiryError says why an expiry cannot be used; it wraps ErrInvalidExpiry
// and never quotes the text.
type expiryError struct{ reason string }

func (e *expiryError) Error() string { return "usersig: invalid expiry: " + e.reason }
func (e *expiryError) Unwrap() error { return errInvalidExpiry }

func invalidExpiry(reason string) error { return &expiryError{reason: reason} }

// fileError says why ReadSecret produced no secret; it wraps ErrSecretFile
// and the cause, and never holds the path or the content.
type fileError struct {
	reason string
	cause  error
}

func secretFileError(reason string, cause error) error {
	return &fileError{reason: reason, cause: cause}
}

func (e *fileError) Error() string {
	msg := "usersig: unusable secret file: " + e.reason
	if e.cause != nil && e.cause != errEmptySecret {
		msg += ": " + e.cause.Error()
	}
	return msg
}

// Unwrap returns ErrSecretFile and the cause, if any.
func (e *fileError) Unwrap() []error {
	if e.cause == nil {
		return []error{errSecretFile}
	}
	return []error{errSecretFile, e.cause}
}
