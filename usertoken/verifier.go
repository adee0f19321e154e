package usertoken

import (
	"encoding/base64"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/usersig/usersig"
)

// Verifier checks user tokens for one profile, the way the vendor does: it
// is what a test double of the vendor, a proxy, or your own backend
// (accepting the same token the widget uses) runs. It holds the current key
// and, during a key rotation, previous ones ([WithPreviousKeys],
// [WithPreviousKey]). It is safe for concurrent use. Build it with
// [NewVerifier].
type Verifier struct {
	profile Profile
	method  jwt.SigningMethod // RS256 and ES256: golang-jwt's method verifies
	// keys returns the keys, keys()[0] the current one. They sit behind a
	// closure, as a usersig.Signer's secrets do, so that no printer —
	// fmt's verbs, or a reflective one such as a test library's diff —
	// can reach an HMAC secret.
	keys    func() []verifierKey
	haveIDs bool // some key has an id: a token's kid selects keys
	clock   func() time.Time
	leeway  time.Duration
	// plainHeader is the base64url of {"alg":"<alg>","typ":"JWT"}, the
	// header jsonwebtoken and golang-jwt write when there is no kid: a
	// token whose header is exactly this text needs no header decoding.
	plainHeader string
}

// verifierKey is one key of a Verifier.
type verifierKey struct {
	id    string // key id ("" = none)
	label string // what the log calls it: "current", "previous-N", or kid
	// key is an *rsa.PublicKey or *ecdsa.PublicKey for golang-jwt's method,
	// or, for HS256, a *usersig.Signer keyed with the secret: the core's
	// precomputed-key HMAC engine (crypto/hmac in FIPS 140 mode).
	key any
}

// NewVerifier returns a Verifier for profile p with key as its current key:
//
//   - RS256 profiles: an RSA public key as PKIX ("PUBLIC KEY") or PKCS#1
//     ("RSA PUBLIC KEY") PEM, or base64 of such a PEM. An RSA private key PEM
//     (PKCS#1 or PKCS#8) is also accepted and only its public half is kept,
//     so a test verifier can be built from the issuer's key file. At least
//     2048 bits (at most 8192), e = 65537.
//   - ES256 profiles: an EC P-256 public key as PKIX PEM, or base64 of one;
//     an EC private key PEM is accepted likewise and only its public half
//     kept. Other curves are refused with [ErrWrongKeyType].
//   - HS256 profiles: the shared secret, as the exact bytes given, at least
//     32 bytes; a PEM is refused with [ErrWrongKeyType] (this is what stops
//     an RS256 public key from ever being used as an HMAC secret).
//
// Key bytes are copied. Options: [WithClock], [WithLeeway], [WithKeyID],
// [WithPreviousKeys], [WithPreviousKey]; previous keys are held to the same
// policy. A nil option is refused. Errors wrap [ErrInvalidProfile],
// [ErrInvalidKey], [ErrWrongKeyType], [ErrWeakKey] or [ErrInvalidOption]
// and never contain key material.
//
// Key ids: the current key's id is Zendesk's kid or [WithKeyID]; previous
// keys get one from [WithPreviousKey]. Ids must be unique. A Zendesk
// verifier takes previous keys only with an id (its tokens always name
// one). See [Verifier.Verify] for how a token's kid selects keys.
//
// The algorithm is pinned by the profile, never read from the token header.
func NewVerifier(p Profile, key []byte, opts ...VerifierOption) (*Verifier, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	cfg, err := newVerifierConfig(opts)
	if err != nil {
		return nil, err
	}
	kid, err := p.keyID(cfg.kid)
	if err != nil {
		return nil, err
	}
	if 1+len(cfg.previous) > MaxKeys {
		return nil, fmt.Errorf("%w: %d keys, at most %d", ErrInvalidOption, 1+len(cfg.previous), MaxKeys)
	}
	method, k, err := verifyingKey(p.alg, key)
	if err != nil {
		return nil, err
	}
	v := &Verifier{
		profile: p, method: method, clock: cfg.clock, leeway: cfg.leeway, haveIDs: kid != "",
		plainHeader: base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"` + p.alg + `","typ":"JWT"}`)),
	}
	keys := []verifierKey{{id: kid, label: labelFor(kid, "current"), key: k}}
	for i, pk := range cfg.previous {
		if p.kid != "" && pk.id == "" {
			return nil, fmt.Errorf("%w: %s tokens always name their key; give previous keys with WithPreviousKey(kid, key)", ErrInvalidOption, p.name)
		}
		for _, have := range keys {
			if pk.id != "" && have.id == pk.id {
				return nil, fmt.Errorf("%w: key id %q given twice", ErrInvalidOption, pk.id)
			}
		}
		_, k, err := verifyingKey(p.alg, pk.key)
		if err != nil {
			return nil, fmt.Errorf("previous key %d: %w", i+1, err)
		}
		keys = append(keys, verifierKey{id: pk.id, label: labelFor(pk.id, fmt.Sprintf("previous-%d", i+1)), key: k})
		v.haveIDs = v.haveIDs || pk.id != ""
	}
	v.keys = func() []verifierKey { return keys }
	return v, nil
}

// hmacVerifyingKey keys the core's HMAC engine with secret: a Signer whose
// message is the text given as the user id (usersig.UserID) and whose
// signature text is unpadded base64url (usersig.Base64URL) is exactly
// HS256 over a JWS signing input. The Signer precomputes the key's SHA-256
// states once and checks them against crypto/hmac; in FIPS 140 mode it
// uses crypto/hmac itself.
func hmacVerifyingKey(secret []byte) (*usersig.Signer, error) {
	s, err := usersig.New(usersig.Scheme{Name: "jws-hs256", Composer: usersig.UserID, Encoding: usersig.Base64URL}, secret)
	if err != nil {
		// hmacSecret already applied a stricter policy; this is the FIPS
		// 140-only refusal or an engine failure.
		return nil, fmt.Errorf("%w: HMAC engine refused the secret", ErrWeakKey)
	}
	return s, nil
}

// labelFor names a key in log lines: its id if it has one.
func labelFor(id, fallback string) string {
	if id != "" {
		return "kid:" + id
	}
	return fallback
}

// Profile returns the profile the Verifier checks.
func (v *Verifier) Profile() Profile { return v.profile }

// String describes the Verifier without its keys.
func (v Verifier) String() string {
	n := 0
	if v.keys != nil {
		n = len(v.keys())
	}
	return fmt.Sprintf("usertoken.Verifier{profile: %q, alg: %s, keys: %d}", v.profile.name, v.profile.alg, n)
}

// Format prints String for every verb, so %v, %+v, %#v, %s and %x of a
// Verifier never show a key.
func (v Verifier) Format(f fmt.State, _ rune) { fmt.Fprint(f, v.String()) }
