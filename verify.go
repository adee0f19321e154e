package usersig

import (
	"crypto/hmac"
	"errors"
	"fmt"
)

// The errors of signing and verifying. Every error a Signer returns wraps
// exactly one of them, so callers test with errors.Is; the HTTP layer adds
// ErrNoSignature, ErrMalformedCredential and ErrUnknownSigner. No error text
// ever contains a secret or the signature that was expected.
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

	// ErrExpired: now >= ExpiresAt + leeway. An expired identity is never
	// accepted, whatever its signature.
	ErrExpired = errExpired

	// ErrInvalidExpiry: an expiry cannot be written as the scheme signs it,
	// or an expiry text a client sent cannot be read.
	ErrInvalidExpiry = errInvalidExpiry

	// ErrInvalidScheme: a Scheme has no Composer, an unknown MessageRule, or
	// an unknown Encoding.
	ErrInvalidScheme = errInvalidScheme

	// ErrInvalidOption: an Option was given a value it cannot use.
	ErrInvalidOption = errInvalidOption

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
	errInvalidExpiry      = errors.New("usersig: invalid expiry")
	errInvalidScheme      = errors.New("usersig: invalid scheme")
	errInvalidOption      = errors.New("usersig: invalid option")
	errSecretFile         = errors.New("usersig: unusable secret file")
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

type missingError struct{ what string }

func (e *missingError) Error() string { return "usersig: identity has nothing to sign: no " + e.what }
func (e *missingError) Unwrap() error { return errMissingIdentity }

func missing(what string) error { return &missingError{what: what} }

var (
	errInvalidRule    = fmt.Errorf("%w: unknown MessageRule", errInvalidScheme)
	errZeroSigner     = fmt.Errorf("%w: a zero Signer; make one with New", errInvalidScheme)
	errExpiryRequired = fmt.Errorf("%w: this Signer requires an expiry (WithExpiryRequired)", errInvalidExpiry)
)

// Verify reports whether signature is the scheme's signature of id under the
// current secret or any previous one, returning nil if it is.
//
// It first requires the text to be the canonical form of a full 32-byte tag
// (else ErrMalformedSignature), then refuses an expired identity
// (ErrExpired) and one the composer cannot sign (ErrMissingIdentity), and
// finally computes the MAC under every secret and compares each with
// hmac.Equal, with no early exit, returning ErrInvalidSignature if none
// matches. A valid call does not allocate while the message is under 4 KiB
// (every preset's is, for ids and emails of sane length).
func (s *Signer) Verify(id Identity, signature string) error {
	return s.verify(id, signature, nil)
}

// verify is Verify with, for UserIDExpiry, the exact expiry text a client
// sent (expiresText non-nil) in place of FormatExpiry's.
func (s *Signer) verify(id Identity, signature string, expiresText *string) error {
	if s.states == nil {
		return errZeroSigner
	}
	var want [macSize]byte
	if err := s.scheme.Encoding.decode(&want, signature); err != nil {
		return err
	}
	if err := s.checkExpiry(id); err != nil {
		return err
	}
	st := s.states.Get().(*macState)
	defer s.release(st)
	msg, err := s.compose(st, id, expiresText)
	if err != nil {
		return err
	}
	return st.match(&want, msg)
}

// match compares want with the MAC under every secret. It never stops at
// the first match, so its timing does not say which secret matched.
func (st *macState) match(want *[macSize]byte, msg []byte) error {
	matched := false
	for i := range st.macs {
		st.sumWith(i, msg)
		matched = hmac.Equal(st.sum[:], want[:]) || matched
	}
	if !matched {
		return errInvalidSignature
	}
	return nil
}

func (s *Signer) checkExpiry(id Identity) error {
	if id.ExpiresAt.IsZero() {
		return nil
	}
	if !s.now().Before(id.ExpiresAt.Add(s.leeway)) {
		return errExpired
	}
	return nil
}

// Verify is a one-shot Signer.Verify under a throwaway Signer for the
// standard padded base64 of the message c composes from id, with the secret
// rules of New and time.Now as the clock. Use a Signer to verify more than
// once: it keeps the keyed state and does not allocate.
func Verify(secret []byte, c Composer, id Identity, signature string) error {
	s, err := New(Scheme{Name: "oneshot", Composer: c, Encoding: Base64}, secret)
	if err != nil {
		return err
	}
	return s.Verify(id, signature)
}
