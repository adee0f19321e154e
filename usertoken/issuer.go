package usertoken

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
	"github.com/usersig/usersig"
)

// MaxUserIDLen is the longest user id, in bytes, that an Issuer signs and a
// Verifier returns.
const MaxUserIDLen = 512

// Issuer mints user tokens for one profile with one key. It is safe for
// concurrent use. Build it with [NewIssuer].
type Issuer struct {
	profile Profile
	method  jwt.SigningMethod
	// key returns the *rsa.PrivateKey, *ecdsa.PrivateKey or []byte
	// (a private copy) it signs with, from behind a closure, so that no
	// printer, reflective or not, can reach it.
	key   func() any
	kid   string // "kid" header: the Zendesk key id or WithKeyID
	clock func() time.Time
	ttl   time.Duration
	extra map[string]json.RawMessage
}

// NewIssuer returns an Issuer for profile p signing with key:
//
//   - RS256 profiles (Engagespot, Knock, Braze): an RSA private key as PKCS#1
//     ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") PEM, or base64 of such a
//     PEM (Knock's format). At least 2048 bits, e = 65537.
//   - ES256 profiles (OneSignal, SuprSend): an EC P-256 private key as
//     PKCS#8 ("PRIVATE KEY") or SEC 1 ("EC PRIVATE KEY") PEM, or base64 of
//     such a PEM (SuprSend's single-line format). Other curves are refused
//     with [ErrWrongKeyType].
//   - HS256 profiles (Intercom, Zendesk, Drift, Stream Chat, TalkJS,
//     MagicBell): the shared secret, used as the exact bytes given (never
//     base64- or hex-decoded, never trimmed), at least 32 bytes. A PEM is
//     refused with [ErrWrongKeyType].
//
// The key bytes are copied (RSA and EC keys are parsed into fresh values),
// so the caller may wipe or reuse its slice. Options: [WithClock],
// [WithTTL], [WithClaims], [WithKeyID]; the verifier-only options
// ([WithLeeway], [WithPreviousKeys], [WithPreviousKey]) and a nil Option
// are refused. Errors wrap [ErrInvalidProfile], [ErrInvalidKey],
// [ErrWrongKeyType], [ErrWeakKey] or [ErrInvalidOption] and never contain
// key material.
//
// Security: the Issuer holds the signing key in memory for its lifetime;
// anyone who can call Token can impersonate any user towards the vendor.
// Issue tokens only for the user your own session has authenticated.
func NewIssuer(p Profile, key []byte, opts ...Option) (*Issuer, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(roleIssuer, opts)
	if err != nil {
		return nil, err
	}
	for name := range cfg.extra {
		if p.ownsClaim(name) {
			return nil, fmt.Errorf("%w: WithClaims may not set %q, the %s profile owns it", ErrInvalidOption, name, p.name)
		}
	}
	kid, err := p.keyID(cfg.kid)
	if err != nil {
		return nil, err
	}
	method, k, err := signingKey(p.alg, key)
	if err != nil {
		return nil, err
	}
	keyOf := func() any { return k }
	return &Issuer{profile: p, method: method, key: keyOf, kid: kid, clock: cfg.clock, ttl: cfg.ttl, extra: cfg.extra}, nil
}

// Profile returns the profile the Issuer signs for.
func (i *Issuer) Profile() Profile { return i.profile }

// String describes the Issuer without its key.
func (i Issuer) String() string {
	return fmt.Sprintf("usertoken.Issuer{profile: %q, alg: %s}", i.profile.name, i.profile.alg)
}

// Format prints String for every verb, so %v, %+v, %#v, %s and %x of an
// Issuer never show its key.
func (i Issuer) Format(f fmt.State, _ rune) { fmt.Fprint(f, i.String()) }

// Token returns a signed compact JWT for userID with the profile's claims,
// iat/exp from the Issuer's clock (seconds, truncated) and any WithClaims
// extras. For Engagespot the sub claim is "user:"+userID; for OneSignal the
// id goes into identity.external_id.
//
// userID must be non-empty, valid UTF-8 without control characters and at
// most [MaxUserIDLen] bytes; it is signed exactly as given (no trimming or
// case folding: the vendor compares it byte for byte). Errors wrap
// [ErrInvalidUserID] or [ErrTokenTooLarge] (extra claims pushed the token
// past [MaxTokenSize]).
//
// Security: the result is a bearer credential for that user until exp; do
// not log it, and send it only to that user's front end over TLS.
func (i *Issuer) Token(userID string) (string, error) {
	if err := checkUserID(userID); err != nil {
		return "", err
	}
	p := i.profile
	claims := make(jwt.MapClaims, len(i.extra)+len(p.fixed)+3)
	for k, v := range i.extra {
		claims[k] = v
	}
	for _, f := range p.fixed {
		if !f.ifPresent {
			claimObject(claims, f.in)[f.name] = f.value
		}
	}
	claimObject(claims, p.subjectIn)[p.subjectClaim] = p.subjectPrefix + userID
	now := i.clock().Unix()
	if p.iat || p.issueIAT {
		claims["iat"] = now
	}
	claims["exp"] = now + int64(i.ttl/time.Second)

	tok := jwt.NewWithClaims(i.method, claims)
	if i.kid != "" {
		tok.Header["kid"] = i.kid
	}
	s, err := tok.SignedString(i.key())
	if err != nil {
		return "", fmt.Errorf("usertoken: signing %s token failed", p.name)
	}
	if len(s) > MaxTokenSize {
		return "", fmt.Errorf("%w: issued token would be %d bytes, limit %d (reduce WithClaims)", ErrTokenTooLarge, len(s), MaxTokenSize)
	}
	return s, nil
}

// claimObject returns the object claim named in, creating it, or claims
// itself for in == "".
func claimObject(claims jwt.MapClaims, in string) map[string]any {
	if in == "" {
		return claims
	}
	obj, ok := claims[in].(map[string]any)
	if !ok {
		obj = map[string]any{}
		claims[in] = obj
	}
	return obj
}

var errEmptyUserID = &bothError{msg: ErrInvalidUserID.Error() + ": empty", mine: ErrInvalidUserID, theirs: usersig.ErrMissingIdentity}

// checkUserID applies the user-id rules shared by Issuer and Verifier.
func checkUserID(id string) error {
	switch {
	case id == "":
		return errEmptyUserID
	case len(id) > MaxUserIDLen:
		return fmt.Errorf("%w: longer than %d bytes", ErrInvalidUserID, MaxUserIDLen)
	case !utf8.ValidString(id):
		return fmt.Errorf("%w: not valid UTF-8", ErrInvalidUserID)
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: contains a control character", ErrInvalidUserID)
		}
	}
	return nil
}
