package usersig

import (
	"fmt"
	"time"
)

// A Signer signs and verifies identities under one Scheme and a current
// secret, plus any previous secrets still accepted during a rotation. Make
// one with New; the zero Signer refuses every call with ErrInvalidScheme.
//
// A Signer is safe for concurrent use by many goroutines. New computes
// each secret's keyed SHA-256 states once (FIPS 198-1 §6), so a MAC costs
// two SHA-256 compressions for a short identity, and checks that engine
// against crypto/hmac; in FIPS 140-3 mode every MAC is crypto/hmac's. It
// never prints its secrets: every fmt verb shows only the scheme's name and
// how many secrets it holds, and the secrets and the states derived from
// them live only in a closure that no printer, reflective or not, can
// reach.
type Signer struct {
	scheme   Scheme
	rule     MessageRule // the scheme's Composer if it is a MessageRule, else 0
	nsecrets int
	now      func() time.Time
	leeway   time.Duration
	keys     func() *keyring // nil only in a zero Signer
	// notAfter holds each secret's deadline by index (the zero time: none),
	// or is nil when no secret has one; see WithRetiringSecret.
	notAfter []time.Time
	// expiryRequired: see WithExpiryRequired.
	expiryRequired bool
	// freshness: see WithFreshness; set for UserIDTimestamp only.
	freshness time.Duration
}

// New returns a Signer for scheme keyed with secret. The secret is used as
// the bytes given — never base64- or hex-decoded, even when it looks encoded,
// because that is what every vendor does — and is copied, so the caller may
// reuse the slice.
//
// Whitespace is part of the secret too: a secret read from an environment
// variable or a file that ends with a newline or a space (a file with two
// trailing newlines, a value pasted with a space) is signed with it, and
// every signature is wrong though every call returns a nil error. Read
// files with ReadSecretFile, which removes the one newline editors and
// Kubernetes add, and check any secret with
// scheme.SecretEncoding.Check(secret), which refuses surrounding
// whitespace; New does not, since it uses the vendor's bytes as given.
//
// New refuses an empty secret (ErrEmptySecret), a secret shorter than
// MinSecretLen unless WithShortSecretsAllowed is given (ErrWeakSecret), a
// scheme with no Composer or an unknown Encoding (ErrInvalidScheme), and a
// nil or bad option (ErrInvalidOption). The same checks apply to previous
// secrets.
//
// In FIPS 140-3 mode (GODEBUG=fips140=on or only) every MAC is crypto/hmac's,
// under the validated module's rules. Under fips140=only crypto/hmac refuses
// keys shorter than 112 bits (14 bytes), so New refuses them with
// ErrWeakSecret even with WithShortSecretsAllowed; MinSecretLen is above that
// bound, so only secrets that option admits are affected. Under fips140=on
// short keys work, and the module records the MAC as not approved.
func New(scheme Scheme, secret []byte, opts ...Option) (*Signer, error) {
	if err := scheme.validate(); err != nil {
		return nil, err
	}
	cfg := settings{now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errNilOption
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.expiryRequired && !signsExpiry(scheme) {
		return nil, fmt.Errorf("%w: WithExpiryRequired, but scheme %q does not sign the expiry, so the option could not bind one", errInvalidOption, scheme.Name)
	}
	rule, _ := scheme.Composer.(MessageRule)
	if err := cfg.fitFreshness(scheme.Name, rule); err != nil {
		return nil, err
	}
	secrets := append([][]byte{append([]byte(nil), secret...)}, cfg.previous...)
	for i := range secrets {
		if err := keySecret(scheme.SecretEncoding, &secrets[i], cfg.allowShortSecrets); err != nil {
			if i > 0 {
				return nil, fmt.Errorf("previous secret %d: %w", i, err)
			}
			return nil, err
		}
	}
	kr, err := newKeyring(secrets, cfg.useHMAC, (*macKey).agreesWithHMAC)
	if err != nil {
		return nil, err
	}
	return &Signer{
		scheme:   scheme,
		rule:     rule,
		nsecrets: len(secrets),
		now:      cfg.now,
		leeway:   cfg.leeway,
		keys:     func() *keyring { return kr },
		notAfter: cfg.deadlines(),

		expiryRequired: cfg.expiryRequired,
		freshness:      cfg.freshness,
	}, nil
}

// signsExpiry reports whether sc's signature covers an identity's expiry.
func signsExpiry(sc Scheme) bool {
	probe := Identity{UserID: "u", Email: "e@example.com", ExpiresAt: time.Unix(1e9, 0)}
	return !sc.SignedFields(probe).ExpiresAt.IsZero()
}

// Scheme returns the scheme the Signer was made for.
func (s *Signer) Scheme() Scheme { return s.scheme }

// Sign returns the signature of id under the current secret, as text in the
// scheme's encoding; under UserIDTimestamp (Chameleon) the text is followed
// by '-' and the Unix seconds of the Signer's clock, which the MAC signs.
// It fails only when the scheme's Composer refuses id
// (ErrMissingIdentity), when id's expiry lies outside the years 0000-9999
// or is required and absent, or a UserIDTimestamp Signer's clock reads
// before 1970 (ErrInvalidExpiry), and for a zero Signer.
func (s *Signer) Sign(id Identity) (string, error) {
	var buf [maxSignatureTextLen]byte
	b, err := s.AppendSign(buf[:0], id)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// AppendSign is Sign appending the text to dst, so a caller that writes many
// signatures can reuse one buffer. With room in dst it does not allocate.
func (s *Signer) AppendSign(dst []byte, id Identity) ([]byte, error) {
	var c claim
	if err := c.setIdentity(id); err != nil {
		return dst, err
	}
	return s.appendSign(dst, &c)
}

// Issue signs id and returns the signature with the fields it covers, so a
// backend can hand its front end everything in one step. Fields the scheme
// does not sign are left out (Proficient's Credential has no email, say), so
// nothing unsigned looks vouched for. For UserIDExpiry schemes Expires is
// the text signed (FormatExpiry's); for Framed it is ExpiresAt in RFC 3339
// with nanoseconds; under UserIDTimestamp the time signed is the Signer's
// clock, and it travels inside Signature. Issue is SignCredential over that
// text, so what it hands out is exactly what VerifyCredential accepts back.
func (s *Signer) Issue(id Identity) (Credential, error) {
	c := Credential{UserID: id.UserID, Email: id.Email}
	if !id.ExpiresAt.IsZero() {
		var err error
		if c.Expires, err = expiryText(s.rule, id.ExpiresAt); err != nil {
			return Credential{}, err
		}
	}
	return s.SignCredential(c)
}

// SignCredential signs c's identity over c's exact expiry text and returns
// the signed fields of c with its Signature set. Issue is the usual way to
// sign; SignCredential is for a backend that must hand out an expiry text in
// a form of its own, such as .NET's ToString("o") for Product Fruits. The
// text must read as ParseExpiry reads it (else ErrInvalidExpiry). As with
// Issue, fields the scheme does not sign are left out of the result: for
// Framed the expiry is signed as the instant the text names; for UserID,
// Email and UserIDOrEmail schemes it is not signed at all and is dropped.
func (s *Signer) SignCredential(cr Credential) (Credential, error) {
	c, err := claimFrom(cr)
	if err != nil {
		return Credential{}, err
	}
	var buf [maxSignatureTextLen]byte
	sig, err := s.appendSign(buf[:0], &c)
	if err != nil {
		return Credential{}, err
	}
	signed := signedFields(s.scheme.Composer, c.Identity)
	out := Credential{UserID: signed.UserID, Email: signed.Email, Signature: string(sig)}
	if !signed.ExpiresAt.IsZero() {
		out.Expires = cr.Expires
	}
	return out, nil
}

func (s *Signer) appendSign(dst []byte, c *claim) ([]byte, error) {
	if s.keys == nil {
		return dst, errZeroSigner
	}
	if s.expiryRequired && c.ExpiresAt.IsZero() {
		return dst, errExpiryRequired
	}
	if s.rule == UserIDTimestamp {
		if err := s.stampNow(c); err != nil {
			return dst, err
		}
	}
	kr := s.keys()
	var mac [macSize]byte
	if kr.fast != nil && s.rule != 0 {
		var m message
		if err := s.rule.layout(&m, c); err != nil {
			return dst, err
		}
		if !kr.fast[0].sumMessage(&mac, &m) {
			return dst, errEngine
		}
		return s.appendEncoded(dst, mac[:], c), nil
	}
	st := kr.states.Get().(*macState)
	defer kr.release(st)
	if s.rule != 0 { // crypto/hmac: FIPS mode, or a failed self-test
		var m message
		if err := s.rule.layout(&m, c); err != nil {
			return dst, err
		}
		st.hmacMessage(0, &m)
		return s.appendEncoded(dst, st.sum[:], c), nil
	}
	msg, err := s.compose(st, c)
	if err != nil {
		return dst, err
	}
	if !kr.sumWith(st, 0, msg) {
		return dst, errEngine
	}
	return s.appendEncoded(dst, st.sum[:], c), nil
}

// compose writes a Composer's message for c into st.msg. (A MessageRule's
// message is laid out in pieces and never needs this buffer.)
func (s *Signer) compose(st *macState, c *claim) ([]byte, error) {
	msg, err := s.scheme.Composer.AppendMessage(st.msg[:0], c.Identity)
	if err == nil {
		st.msg = msg
	}
	return msg, err
}

// String describes the Signer without its secrets.
func (s Signer) String() string {
	return fmt.Sprintf("usersig.Signer{scheme: %q, secrets: %d}", s.scheme.Name, s.nsecrets)
}

// Format prints String for every verb, so %v, %+v, %#v, %x and %q of a
// Signer never reveal a secret.
func (s Signer) Format(f fmt.State, _ rune) {
	fmt.Fprint(f, s.String())
}

// Sign is a one-shot Sign under a throwaway Signer for scheme, for scripts
// and tests: Sign(usersig.Intercom(), secret, id) gives exactly what
// New(usersig.Intercom(), secret) then Signer.Sign gives — the scheme's
// message, in the scheme's encoding (hex for Intercom, base64 for
// Engagespot), its secret form applied. The rules and options of New
// apply. Use a Signer to sign more than once; it is several times faster.
func Sign(scheme Scheme, secret []byte, id Identity, opts ...Option) (string, error) {
	s, err := New(scheme, secret, append(opts[:len(opts):len(opts)], withHMACOnly())...)
	if err != nil {
		return "", err
	}
	return s.Sign(id)
}
