package usertoken

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier checks user tokens for one profile with one key, the way the
// vendor does: it is what a test double of the vendor, a proxy, or your own
// backend (accepting the same token the widget uses) runs. It is safe for
// concurrent use. Build it with [NewVerifier].
type Verifier struct {
	profile Profile
	method  jwt.SigningMethod
	key     any // *rsa.PublicKey or []byte (private copy)
	parser  *jwt.Parser
	clock   func() time.Time
}

// NewVerifier returns a Verifier for profile p with key:
//
//   - RS256 profiles: an RSA public key as PKIX ("PUBLIC KEY") or PKCS#1
//     ("RSA PUBLIC KEY") PEM, or base64 of such a PEM. An RSA private key PEM
//     (PKCS#1 or PKCS#8) is also accepted and only its public half is kept,
//     so a test verifier can be built from the issuer's key file. At least
//     2048 bits (at most 8192), e = 65537.
//   - HS256 profiles: the shared secret, as the exact bytes given, at least
//     32 bytes; a PEM is refused with [ErrWrongKeyType] (this is what stops
//     an RS256 public key from ever being used as an HMAC secret).
//
// Key bytes are copied. Options: [WithClock], [WithLeeway]. Errors wrap
// [ErrInvalidProfile], [ErrInvalidKey], [ErrWrongKeyType], [ErrWeakKey] or
// [ErrInvalidOption] and never contain key material.
//
// The algorithm is pinned by the profile, never read from the token header.
func NewVerifier(p Profile, key []byte, opts ...Option) (*Verifier, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cfg, err := newConfig(roleVerifier, opts)
	if err != nil {
		return nil, err
	}
	v := &Verifier{profile: p, clock: cfg.clock}
	switch p.alg {
	case algRS256:
		k, err := parseRSAPublicKey(key)
		if err != nil {
			return nil, err
		}
		v.method, v.key = jwt.SigningMethodRS256, k
	case algHS256:
		k, err := hmacSecret(key)
		if err != nil {
			return nil, err
		}
		v.method, v.key = jwt.SigningMethodHS256, k
	}
	popts := []jwt.ParserOption{
		jwt.WithValidMethods([]string{p.alg}),
		jwt.WithStrictDecoding(),
		jwt.WithLeeway(cfg.leeway),
		jwt.WithTimeFunc(cfg.clock),
	}
	if p.exp == expRequired {
		popts = append(popts, jwt.WithExpirationRequired())
	}
	v.parser = jwt.NewParser(popts...)
	return v, nil
}

// Profile returns the profile the Verifier checks.
func (v *Verifier) Profile() Profile { return v.profile }

// Verify checks token and returns the user id it was issued for: the value
// of the profile's user-id claim, without Engagespot's "user:" prefix.
//
// In order: the size is bounded ([MaxTokenSize], [ErrTokenTooLarge]) before
// any parsing; the three segments must be canonical unpadded base64url
// (strict decoding) holding JSON objects ([ErrMalformed]); the header alg
// must be the profile's and the signature must verify with the Verifier's
// key ([ErrBadSignature]); a "crit" header, a wrong or missing Zendesk
// "kid", a missing exp where the profile requires it, a missing iat
// (Engagespot, Knock), a wrong apiKey or scope, a missing "user:" prefix or
// an empty/invalid user id give [ErrWrongClaims]; exp in the past gives
// [ErrExpired], nbf in the future [ErrNotYetValid] (both with the leeway).
// Claims are examined only after the signature verified.
//
// Errors wrap exactly one of those sentinels and never contain the token or
// the key. Security: a valid token is a bearer credential; Verify cannot
// tell who presents it, and tokens cannot be revoked before exp.
func (v *Verifier) Verify(token string) (userID string, err error) {
	if len(token) > MaxTokenSize {
		return "", fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(token), MaxTokenSize)
	}
	if !isCompactJWSText(token) {
		return "", errTokenAlphabet
	}
	claims := jwt.MapClaims{}
	if _, err := v.parser.ParseWithClaims(token, claims, v.keyFunc); err != nil {
		return "", mapParseError(err)
	}
	return v.checkClaims(claims)
}

// isCompactJWSText reports whether token holds only the base64url alphabet
// and dots. Go's base64 decoder skips CR and LF even in strict mode, so
// without this one token would have many accepted spellings (a trailing
// newline, a line break in the signature), defeating any cache or denylist
// keyed on the token text.
func isCompactJWSText(token string) bool {
	for i := 0; i < len(token); i++ {
		switch c := token[i]; {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

var errTokenAlphabet = fmt.Errorf("%w: a byte outside base64url and '.' (whitespace, padding, the standard alphabet)", ErrMalformed)

// maxExp is the last second of year 9999: a later exp is a mistake, and a
// float that large converts to int64 differently across platforms.
const maxExp = 253402300799

// checkExp refuses an exp that golang-jwt lets through: it reads exp 0 as
// absent, so a token "expiring" in 1970 would never expire where exp is
// optional; and it converts huge values platform-dependently.
func checkExp(claims jwt.MapClaims) error {
	raw, ok := claims["exp"]
	if !ok {
		return nil
	}
	exp, ok := raw.(float64)
	switch {
	case !ok:
		return fmt.Errorf("%w: exp is not a number", ErrWrongClaims)
	case exp <= 0:
		return fmt.Errorf("%w: exp is in the past", ErrExpired)
	case exp > maxExp:
		return fmt.Errorf("%w: exp is after year 9999", ErrWrongClaims)
	}
	return nil
}

// Header errors returned by keyFunc (fixed values: no token content).
var (
	errCritHeader = fmt.Errorf("%w: unsupported critical header parameters", ErrWrongClaims)
	errKidHeader  = fmt.Errorf("%w: kid header missing or not the configured key id", ErrWrongClaims)
)

// keyFunc checks the header fields the profile pins (the alg was already
// checked by WithValidMethods) and returns the verification key.
func (v *Verifier) keyFunc(t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		return nil, errCritHeader
	}
	if v.profile.kid != "" {
		if kid, ok := t.Header["kid"].(string); !ok || kid != v.profile.kid {
			return nil, errKidHeader
		}
	}
	return v.key, nil
}

// mapParseError turns a golang-jwt error into one of this package's
// sentinels. golang-jwt's own messages are dropped: some quote header
// values taken from the token.
func mapParseError(err error) error {
	switch {
	case errors.Is(err, errCritHeader):
		return errCritHeader
	case errors.Is(err, errKidHeader):
		return errKidHeader
	case errors.Is(err, jwt.ErrTokenMalformed):
		return fmt.Errorf("%w: not a compact JWS of canonical base64url JSON segments", ErrMalformed)
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		return fmt.Errorf("%w: algorithm not allowed or signature mismatch", ErrBadSignature)
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return fmt.Errorf("%w: algorithm missing or unknown", ErrBadSignature)
	case errors.Is(err, jwt.ErrTokenExpired):
		return fmt.Errorf("%w: exp is in the past", ErrExpired)
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return fmt.Errorf("%w: nbf is in the future", ErrNotYetValid)
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return fmt.Errorf("%w: required exp claim missing", ErrWrongClaims)
	case errors.Is(err, jwt.ErrTokenInvalidClaims):
		return fmt.Errorf("%w: a time claim is not a number", ErrWrongClaims)
	default:
		return fmt.Errorf("%w: token rejected", ErrMalformed)
	}
}

// checkClaims applies the profile's claim rules to signature-verified
// claims and extracts the user id.
func (v *Verifier) checkClaims(claims jwt.MapClaims) (string, error) {
	p := v.profile
	if err := checkExp(claims); err != nil {
		return "", err
	}
	for _, f := range p.fixed {
		if got, ok := claims[f.name].(string); !ok || got != f.value {
			return "", fmt.Errorf("%w: %s claim missing or not the configured value", ErrWrongClaims, f.name)
		}
	}
	if p.iat {
		iat, err := claims.GetIssuedAt()
		if err != nil || iat == nil {
			return "", fmt.Errorf("%w: iat claim missing or not a number", ErrWrongClaims)
		}
	}
	sub, ok := claims[p.subjectClaim].(string)
	if !ok {
		return "", fmt.Errorf("%w: %s claim missing or not a string", ErrWrongClaims, p.subjectClaim)
	}
	id, ok := strings.CutPrefix(sub, p.subjectPrefix)
	if !ok {
		return "", fmt.Errorf("%w: %s claim lacks the %q prefix", ErrWrongClaims, p.subjectClaim, p.subjectPrefix)
	}
	if err := checkUserID(id); err != nil {
		return "", fmt.Errorf("%w: user id in %s is empty or invalid", ErrWrongClaims, p.subjectClaim)
	}
	return id, nil
}
