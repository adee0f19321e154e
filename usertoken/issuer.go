package usertoken

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// MaxUserIDLen is the longest user id, in bytes, that an Issuer signs and a
// Verifier returns.
const MaxUserIDLen = 512

// Issuer mints user tokens for one profile with one key. It is safe for
// concurrent use. Build it with [NewIssuer].
type Issuer struct {
	profile Profile
	method  jwt.SigningMethod
	key     any // *rsa.PrivateKey or []byte (private copy)
	clock   func() time.Time
	ttl     time.Duration
	extra   map[string]json.RawMessage
}

// NewIssuer returns an Issuer for profile p signing with key:
//
//   - RS256 profiles (Engagespot, Knock, Braze): an RSA private key as PKCS#1
//     ("RSA PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") PEM, or base64 of such a
//     PEM (Knock's format). At least 2048 bits, e = 65537.
//   - HS256 profiles (Intercom, Zendesk, Drift): the shared secret, used as
//     the exact bytes given (never base64- or hex-decoded, never trimmed),
//     at least 32 bytes. A PEM is refused with [ErrWrongKeyType].
//
// The key bytes are copied (RSA keys are parsed into fresh values), so the
// caller may wipe or reuse its slice. Options: [WithClock], [WithTTL],
// [WithClaims]. Errors wrap [ErrInvalidProfile], [ErrInvalidKey],
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
	iss := &Issuer{profile: p, clock: cfg.clock, ttl: cfg.ttl, extra: cfg.extra}
	switch p.alg {
	case algRS256:
		k, err := parseRSAPrivateKey(key)
		if err != nil {
			return nil, err
		}
		iss.method, iss.key = jwt.SigningMethodRS256, k
	case algHS256:
		k, err := hmacSecret(key)
		if err != nil {
			return nil, err
		}
		iss.method, iss.key = jwt.SigningMethodHS256, k
	}
	return iss, nil
}

// Profile returns the profile the Issuer signs for.
func (i *Issuer) Profile() Profile { return i.profile }

// Token returns a signed compact JWT for userID with the profile's claims,
// iat/exp from the Issuer's clock (seconds, truncated) and any WithClaims
// extras. For Engagespot the sub claim is "user:"+userID.
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
		claims[f.name] = f.value
	}
	claims[p.subjectClaim] = p.subjectPrefix + userID
	now := i.clock().Unix()
	if p.iat {
		claims["iat"] = now
	}
	claims["exp"] = now + int64(i.ttl/time.Second)

	tok := jwt.NewWithClaims(i.method, claims)
	if p.kid != "" {
		tok.Header["kid"] = p.kid
	}
	s, err := tok.SignedString(i.key)
	if err != nil {
		return "", fmt.Errorf("usertoken: signing %s token failed", p.name)
	}
	if len(s) > MaxTokenSize {
		return "", fmt.Errorf("%w: issued token would be %d bytes, limit %d (reduce WithClaims)", ErrTokenTooLarge, len(s), MaxTokenSize)
	}
	return s, nil
}

// checkUserID applies the user-id rules shared by Issuer and Verifier.
func checkUserID(id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%w: empty", ErrInvalidUserID)
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
