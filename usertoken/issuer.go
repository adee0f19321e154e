package usertoken

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
	"github.com/usersig/usersig"
)

// MaxUserIDLen is the longest user id, in bytes, that an Issuer signs and a
// Verifier returns.
const MaxUserIDLen = 512

// MaxFieldLen is the longest field of [Claims] other than the user id, in
// bytes, that an Issuer signs (an avatar URL, a display name).
const MaxFieldLen = 2048

// Issuer mints user tokens for one profile with one key. It is safe for
// concurrent use. Build it with [NewIssuer].
type Issuer struct {
	profile Profile
	method  jwt.SigningMethod
	// key returns the *rsa.PrivateKey or *ecdsa.PrivateKey golang-jwt signs
	// with, or for HS256 the *usersig.Signer keyed with the secret, from
	// behind a closure, so that no printer, reflective or not, can reach
	// it.
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
//     MagicBell, Nolt, UserVoice, Usertour, Userback): the shared secret,
//     used as the exact bytes given (never base64- or hex-decoded, never
//     trimmed: Usertour's key is the whole "utv_…" text), at least 32
//     bytes. A PEM is refused with [ErrWrongKeyType].
//
// The key bytes are copied (RSA and EC keys are parsed into fresh values),
// so the caller may wipe or reuse its slice. Options: [WithClock],
// [WithTTL], [WithClaims], [WithKeyID]; a nil option is refused. Errors
// wrap [ErrInvalidProfile], [ErrInvalidKey], [ErrWrongKeyType],
// [ErrWeakKey] or [ErrInvalidOption] and never contain key material.
//
// Security: the Issuer holds the signing key in memory for its lifetime;
// anyone who can call Token can impersonate any user towards the vendor.
// Issue tokens only for the user your own session has authenticated.
func NewIssuer(p Profile, key []byte, opts ...IssuerOption) (*Issuer, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cfg, err := newIssuerConfig(opts)
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

// Token is Issue(Claims{UserID: userID}): a token carrying the user id
// alone, which is all most profiles need. Nolt (email and name) and
// UserVoice (email) need more: use [Issuer.Issue].
func (i *Issuer) Token(userID string) (string, error) {
	return i.Issue(Claims{UserID: userID})
}

// Issue returns a signed compact JWT for c with the profile's claims,
// iat/exp from the Issuer's clock (seconds, truncated; c's times are
// ignored) and any WithClaims extras. For Engagespot the sub claim is
// "user:"+c.UserID; for OneSignal the id goes into identity.external_id;
// each other field of c goes under the claim name the profile gives it
// (Nolt's imageUrl, UserVoice's display_name, Usertour's companyId).
//
// c.UserID must be non-empty, valid UTF-8 without control characters and
// at most [MaxUserIDLen] bytes ([ErrInvalidUserID]); it is signed exactly
// as given (no trimming or case folding: the vendor compares it byte for
// byte), and always as a JSON string. The other fields must be valid UTF-8
// without control characters, at most [MaxFieldLen] bytes, fields the
// profile carries, and present when the vendor requires them (Nolt's
// Email and Name, UserVoice's Email); Nolt's Role is "ADMIN", "MODERATOR"
// or empty; for Userback, whose user id is the email, Email is empty or
// equal to UserID. Those refusals wrap [ErrInvalidClaims]. A token past
// [MaxTokenSize] is [ErrTokenTooLarge].
//
// Security: the result is a bearer credential for that user until exp; do
// not log it, and send it only to that user's front end over TLS.
func (i *Issuer) Issue(c Claims) (string, error) {
	if err := checkUserID(c.UserID); err != nil {
		return "", err
	}
	p := i.profile
	claims := make(jwt.MapClaims, len(i.extra)+len(p.fixed)+len(p.fields)+3)
	for k, v := range i.extra {
		claims[k] = v
	}
	for _, f := range p.fixed {
		if !f.ifPresent {
			claimObject(claims, f.in)[f.name] = f.value
		}
	}
	claimObject(claims, p.subjectIn)[p.subjectClaim] = p.subjectPrefix + c.UserID
	if err := p.issueFields(claims, &c); err != nil {
		return "", err
	}
	now := i.clock().Unix()
	if p.iat || p.issueIAT {
		claims["iat"] = now
	}
	claims["exp"] = now + int64(i.ttl/time.Second)

	tok := jwt.NewWithClaims(i.method, claims)
	if i.kid != "" {
		tok.Header["kid"] = i.kid
	}
	s, err := i.sign(tok)
	if err != nil {
		return "", fmt.Errorf("usertoken: signing %s token failed", p.name)
	}
	if len(s) > MaxTokenSize {
		return "", fmt.Errorf("%w: issued token would be %d bytes, limit %d (reduce WithClaims)", ErrTokenTooLarge, len(s), MaxTokenSize)
	}
	return s, nil
}

// sign makes the compact JWS: golang-jwt writes the signing input and, for
// RS256 and ES256, the signature; the HS256 signature is the core's HMAC
// engine's, the same that verifies it.
func (i *Issuer) sign(tok *jwt.Token) (string, error) {
	input, err := tok.SigningString()
	if err != nil {
		return "", err
	}
	if s, ok := i.key().(*usersig.Signer); ok {
		sig, err := s.Sign(usersig.Identity{UserID: input})
		if err != nil {
			return "", err
		}
		return input + "." + sig, nil
	}
	sig, err := i.method.Sign(input, i.key())
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// issueFields writes the fields of c the profile carries into claims and
// refuses those it cannot sign.
func (p Profile) issueFields(claims jwt.MapClaims, c *Claims) error {
	carried := map[fieldID]bool{}
	for _, f := range p.fields {
		carried[f.field] = true
		val := c.field(f.field)
		switch {
		case val == "" && f.required:
			return fmt.Errorf("%w: %s needs the %s claim", ErrInvalidClaims, p.name, f.name)
		case val == "":
			continue
		case f.values != nil && !slices.Contains(f.values, val):
			return fmt.Errorf("%w: %s must be one of %s", ErrInvalidClaims, f.name, strings.Join(f.values, ", "))
		}
		if err := checkField(val); err != nil {
			return fmt.Errorf("%w: %s %v", ErrInvalidClaims, f.name, err)
		}
		claims[f.name] = val
	}
	if p.subjectClaim == "email" && (c.Email == "" || c.Email == c.UserID) {
		carried[fieldEmail] = true // Userback: the email is the user id
	}
	for _, f := range [...]fieldID{fieldEmail, fieldName, fieldImageURL, fieldRole, fieldCompanyID} {
		if !carried[f] && c.field(f) != "" {
			return fmt.Errorf("%w: the %s profile carries no %s", ErrInvalidClaims, p.name, fieldNames[f])
		}
	}
	return nil
}

// fieldNames names the fields of Claims in errors.
var fieldNames = [...]string{fieldEmail: "Email", fieldName: "Name", fieldImageURL: "ImageURL", fieldRole: "Role", fieldCompanyID: "CompanyID"}

// checkField applies the rules for the fields of Claims other than the
// user id.
func checkField(val string) error {
	switch {
	case len(val) > MaxFieldLen:
		return fmt.Errorf("is longer than %d bytes", MaxFieldLen)
	case !utf8.ValidString(val):
		return errors.New("is not valid UTF-8")
	}
	for _, r := range val {
		if unicode.IsControl(r) {
			return errors.New("contains a control character")
		}
	}
	return nil
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
