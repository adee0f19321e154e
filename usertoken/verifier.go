package usertoken

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Verifier checks user tokens for one profile, the way the vendor does: it
// is what a test double of the vendor, a proxy, or your own backend
// (accepting the same token the widget uses) runs. It holds the current key
// and, during a key rotation, previous ones ([WithPreviousKeys],
// [WithPreviousKey]). It is safe for concurrent use. Build it with
// [NewVerifier].
type Verifier struct {
	profile Profile
	method  jwt.SigningMethod
	// keys returns the keys, keys()[0] the current one. They sit behind a
	// closure, as a usersig.Signer's secrets do, so that no printer —
	// fmt's verbs, or a reflective one such as a test library's diff —
	// can reach an HMAC secret.
	keys    func() []verifierKey
	haveIDs bool // some key has an id: a token's kid selects keys
	parser  *jwt.Parser
	clock   func() time.Time
	leeway  time.Duration
}

// verifierKey is one key of a Verifier.
type verifierKey struct {
	id    string // key id ("" = none)
	label string // what the log calls it: "current", "previous-N", or kid
	key   any    // *rsa.PublicKey, *ecdsa.PublicKey or []byte (private copy)
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
// policy. [WithTTL], [WithClaims] and a nil Option are refused. Errors wrap
// [ErrInvalidProfile], [ErrInvalidKey], [ErrWrongKeyType], [ErrWeakKey] or
// [ErrInvalidOption] and never contain key material.
//
// Key ids: the current key's id is Zendesk's kid or [WithKeyID]; previous
// keys get one from [WithPreviousKey]. Ids must be unique. A Zendesk
// verifier takes previous keys only with an id (its tokens always name
// one). See [Verifier.Verify] for how a token's kid selects keys.
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
	v := &Verifier{profile: p, method: method, clock: cfg.clock, leeway: cfg.leeway, haveIDs: kid != ""}
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
	v.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{p.alg}),
		jwt.WithStrictDecoding(),
		// The time claims are checked by checkTimes, which range-checks them
		// before any comparison (golang-jwt converts huge values to wrapped
		// times and reads exp 0 as absent).
		jwt.WithoutClaimsValidation(),
	)
	return v, nil
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

// Verify checks token and returns the user id it was issued for: the value
// of the profile's user-id claim, without Engagespot's "user:" prefix.
//
// In order: the size is bounded ([MaxTokenSize], [ErrTokenTooLarge]) before
// any parsing; the three segments must be canonical unpadded base64url
// (strict decoding) holding JSON objects ([ErrMalformed]); the header alg
// must be the profile's and the signature must verify with one of the
// Verifier's keys ([ErrBadSignature]); a "crit" header, a wrong or missing
// Zendesk "kid", a missing exp where the profile requires it, a missing iat
// (Engagespot, Knock), an exp, nbf or iat that is not a number in
// 1970..9999, a wrong apiKey, scope, iss or other fixed claim, a missing
// "user:" prefix or an empty/invalid user id give [ErrWrongClaims]; exp in
// the past gives [ErrExpired], nbf or iat in the future [ErrNotYetValid]
// (all with the leeway). Claims are examined only after the signature
// verified.
//
// Keys: when some key of the Verifier has an id and the token's header
// names a kid, only the key with that id is tried, and a kid that names
// none of them is [ErrWrongClaims] (as Zendesk's wrong kid always was). A
// token without kid is tried under every key (every key is checked, with
// no early exit, so the time taken does not depend on which one matched).
// A Verifier whose keys have no ids ignores kid headers.
//
// Errors wrap exactly one of those sentinels and never contain the token or
// the key. Security: a valid token is a bearer credential; Verify cannot
// tell who presents it, and tokens cannot be revoked before exp.
func (v *Verifier) Verify(token string) (userID string, err error) {
	res, err := v.verify(token)
	return res.id, err
}

// verified is what a successful verification learned.
type verified struct {
	id     string
	claims jwt.MapClaims
	key    int // index into Verifier.keys
}

func (v *Verifier) verify(token string) (verified, error) {
	if len(token) > MaxTokenSize {
		return verified{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(token), MaxTokenSize)
	}
	if !isCompactJWSText(token) {
		return verified{}, errTokenAlphabet
	}
	claims := jwt.MapClaims{}
	sel := keySelector{v: v}
	if _, err := v.parser.ParseWithClaims(token, claims, sel.keyFunc); err != nil {
		return verified{}, mapParseError(err)
	}
	id, err := v.checkClaims(claims)
	if err != nil {
		return verified{}, err
	}
	return verified{id: id, claims: claims, key: sel.matched}, nil
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

// maxExp is the last second of year 9999: a later time claim is a
// mistake, and a float that large converts to int64 differently across
// platforms (1e19 wraps to a time in the past).
const maxExp = 253402300799

// timeClaim reads the numeric time claim name: ok is false when it is
// absent; a present claim that is not a number, or not in (0, maxExp], is
// ErrWrongClaims (exp <= 0 is ErrExpired, as a token "expiring" in 1970
// always was). Fractions of a second are truncated, as golang-jwt does.
func timeClaim(claims jwt.MapClaims, name string) (t time.Time, ok bool, err error) {
	raw, ok := claims[name]
	if !ok {
		return time.Time{}, false, nil
	}
	f, isNum := raw.(float64)
	switch {
	case !isNum:
		return time.Time{}, true, fmt.Errorf("%w: %s is not a number", ErrWrongClaims, name)
	case f <= 0 && name == "exp":
		return time.Time{}, true, fmt.Errorf("%w: exp is in the past", ErrExpired)
	case f <= 0 || f > maxExp:
		return time.Time{}, true, fmt.Errorf("%w: %s is not a time between 1970 and 9999", ErrWrongClaims, name)
	}
	return time.Unix(int64(f), 0), true, nil
}

// checkTimes applies the profile's exp and iat rules and the clock: every
// present time claim is range-checked before any is compared.
func (v *Verifier) checkTimes(claims jwt.MapClaims) error {
	exp, hasExp, err := timeClaim(claims, "exp")
	if err != nil {
		return err
	}
	nbf, hasNbf, err := timeClaim(claims, "nbf")
	if err != nil {
		return err
	}
	iat, hasIat, err := timeClaim(claims, "iat")
	if err != nil {
		return err
	}
	now := v.clock()
	switch {
	case !hasExp && v.profile.exp == expRequired:
		return fmt.Errorf("%w: required exp claim missing", ErrWrongClaims)
	case hasExp && !now.Before(exp.Add(v.leeway)):
		return fmt.Errorf("%w: exp is in the past", ErrExpired)
	case hasNbf && now.Add(v.leeway).Before(nbf):
		return fmt.Errorf("%w: nbf is in the future", ErrNotYetValid)
	case hasIat && now.Add(v.leeway).Before(iat):
		return fmt.Errorf("%w: iat is in the future", ErrNotYetValid)
	case !hasIat && v.profile.iat:
		return fmt.Errorf("%w: iat claim missing or not a number", ErrWrongClaims)
	}
	return nil
}

// Header errors returned by keyFunc (fixed values: no token content).
var (
	errCritHeader  = fmt.Errorf("%w: unsupported critical header parameters", ErrWrongClaims)
	errKidHeader   = fmt.Errorf("%w: kid header missing or not the configured key id", ErrWrongClaims)
	errNoKeyMatch  = fmt.Errorf("%w: signature does not verify under any key", ErrBadSignature)
	errNoKeyForKid = fmt.Errorf("%w: kid header names none of the verifier's keys", ErrWrongClaims)
)

// keySelector picks the verification key for one token and remembers which
// key verified it.
type keySelector struct {
	v       *Verifier
	matched int
}

// keyFunc checks the header fields the profile pins (the alg was already
// checked by WithValidMethods) and returns the key to verify with. With
// several candidate keys it checks the signature under each (no early
// exit) and returns the one that verified, which golang-jwt then checks
// once more.
func (s *keySelector) keyFunc(t *jwt.Token) (any, error) {
	v := s.v
	if _, ok := t.Header["crit"]; ok {
		return nil, errCritHeader
	}
	kid, hasKid := t.Header["kid"]
	kidText, isText := kid.(string)
	if v.profile.kid != "" && !isText {
		return nil, errKidHeader
	}
	if v.haveIDs && hasKid {
		if !isText {
			return nil, errKidHeader
		}
		for i, k := range v.keys() {
			if k.id == kidText {
				s.matched = i
				return k.key, nil
			}
		}
		if v.profile.kid != "" {
			return nil, errKidHeader
		}
		return nil, errNoKeyForKid
	}
	keys := v.keys()
	if len(keys) == 1 {
		return keys[0].key, nil
	}
	text := t.Raw[:strings.LastIndexByte(t.Raw, '.')]
	found := -1
	for i, k := range keys {
		if v.method.Verify(text, t.Signature, k.key) == nil && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return nil, errNoKeyMatch
	}
	s.matched = found
	return keys[found].key, nil
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
	case errors.Is(err, errNoKeyForKid):
		return errNoKeyForKid
	case errors.Is(err, errNoKeyMatch):
		return errNoKeyMatch
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
	if err := v.checkTimes(claims); err != nil {
		return "", err
	}
	for _, f := range p.fixed {
		got, present, shapeOK := lookupClaim(claims, f.in, f.name)
		if !shapeOK || (!present && !f.ifPresent) {
			return "", fmt.Errorf("%w: %s claim missing or not the configured value", ErrWrongClaims, f.path())
		}
		if s, ok := got.(string); present && (!ok || s != f.value) {
			return "", fmt.Errorf("%w: %s claim missing or not the configured value", ErrWrongClaims, f.path())
		}
	}
	raw, _, _ := lookupClaim(claims, p.subjectIn, p.subjectClaim)
	sub, ok := raw.(string)
	if !ok {
		return "", fmt.Errorf("%w: %s claim missing or not a string", ErrWrongClaims, p.subjectPath())
	}
	id, ok := strings.CutPrefix(sub, p.subjectPrefix)
	if !ok {
		return "", fmt.Errorf("%w: %s claim lacks the %q prefix", ErrWrongClaims, p.subjectPath(), p.subjectPrefix)
	}
	if err := checkUserID(id); err != nil {
		return "", fmt.Errorf("%w: user id in %s is empty or invalid", ErrWrongClaims, p.subjectPath())
	}
	return id, nil
}

// lookupClaim returns claims[name], or claims[in][name] for in != "".
// present says whether the claim exists; shapeOK is false when claims[in]
// exists but is not a JSON object.
func lookupClaim(claims jwt.MapClaims, in, name string) (val any, present, shapeOK bool) {
	obj := map[string]any(claims)
	if in != "" {
		raw, ok := claims[in]
		if !ok {
			return nil, false, true
		}
		if obj, ok = raw.(map[string]any); !ok {
			return nil, false, false
		}
	}
	val, present = obj[name]
	return val, present, true
}

// path names a fixed claim for error messages ("scope.tenant_id").
func (f fixedClaim) path() string {
	if f.in == "" {
		return f.name
	}
	return f.in + "." + f.name
}

// subjectPath names the user-id claim for error messages.
func (p Profile) subjectPath() string {
	return fixedClaim{name: p.subjectClaim, in: p.subjectIn}.path()
}
