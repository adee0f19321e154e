package usersig

import "time"

// Verify reports whether signature is the scheme's signature of id under the
// current secret or any previous one, returning nil if it is.
//
// It first requires the text to be the canonical form of a full 32-byte tag
// (else ErrMalformedSignature), then refuses an expiry outside the years
// 0000-9999 or, under WithExpiryRequired, a missing one (ErrInvalidExpiry),
// an expired identity (ErrExpired) and one the composer cannot sign
// (ErrMissingIdentity), and finally computes the MAC under every secret and
// compares each with the 32-byte tag in constant time (as hmac.Equal does),
// with no early exit, returning ErrInvalidSignature if none matches. A call
// does not allocate, whatever the identity's size; with a Composer of your
// own, while its message is under 4 KiB.
//
// Under UserIDTimestamp (Chameleon) the text is the MAC's canonical text,
// '-' and canonical decimal Unix seconds (stamp.go), and a time outside
// the freshness window is refused before the MAC is computed (ErrExpired,
// ErrIssuedInFuture; see WithFreshness).
func (s *Signer) Verify(id Identity, signature string) error {
	var c claim
	if err := c.setIdentity(id); err != nil {
		return err
	}
	_, err := s.verify(&c, signature)
	return err
}

// VerifyCredential verifies a credential as a client sent it. The expiry
// text is parsed with ParseExpiry (RFC 3339, bounded in length) and checked
// against the clock like Verify does; for UserIDExpiry schemes the MAC is
// over the exact text received, so a signature made over .NET's seven-digit
// ToString("o") verifies as well as one over JavaScript's toJSON. Errors are
// Verify's, plus ErrInvalidExpiry for an unreadable text.
func (s *Signer) VerifyCredential(c Credential) error {
	_, err := s.Authenticate(c)
	return err
}

// Authenticate is VerifyCredential returning the identity the credential
// proves: only the fields the scheme's signature covers (Scheme.SignedFields).
// For a UserID scheme that is the user id alone, even if the client also
// sent an email or an expiry, since it could have put anything there; for
// UserIDOrEmail the id if one was sent, else the email; for UserIDExpiry the
// id and the expiry; for a Composer of your own, each field whose removal
// changes the message (or makes the composer refuse). On error the Identity
// is zero.
//
// The signature does not say which field it was made over. Under
// UserIDOrEmail a signature issued for user id "x@y.z" also authenticates
// email "x@y.z"; under UserIDEmail (Helpshift) the split between id and
// email is the client's, so one for id "alice1" also authenticates id
// "alice" with email "1"; and under UserIDExpiry the split between id and
// expiry is the client's (see WithExpiryRequired). Look users up by the field your
// backend issued signatures for.
func (s *Signer) Authenticate(cr Credential) (Identity, error) {
	id, _, err := s.AuthenticateSecret(cr)
	return id, err
}

// AuthenticateSecret is Authenticate that also says which secret verified:
// 0 for the current secret (the one given to New), i for the i-th previous
// one in the order WithPreviousSecrets and WithRetiringSecret added them,
// and -1 on error. Operators use it to see when every client has moved to a
// new secret, so the old one can be dropped. Which secret matched does not
// show in the timing: every secret's MAC is computed and compared, with no
// early exit and no branch on the comparisons.
func (s *Signer) AuthenticateSecret(cr Credential) (Identity, int, error) {
	c, err := claimFrom(cr)
	if err != nil {
		return Identity{}, -1, err
	}
	secret, err := s.verify(&c, cr.Signature)
	if err != nil {
		return Identity{}, -1, err
	}
	return signedFields(s.scheme.Composer, c.Identity), secret, nil // Scheme.SignedFields, without copying the Scheme
}

// verify checks signature against c and returns the index of the secret
// that verified it (see AuthenticateSecret).
func (s *Signer) verify(c *claim, signature string) (int, error) {
	if s.keys == nil {
		return -1, errZeroSigner
	}
	var want [macSize]byte
	if err := s.decodeSignature(&want, c, signature); err != nil {
		return -1, err
	}
	if err := s.checkExpiry(&c.ExpiresAt); err != nil {
		return -1, err
	}
	if s.expiryRequired && c.ExpiresAt.IsZero() {
		return -1, errExpiryRequired
	}
	live := s.liveness()
	kr := s.keys()
	if kr.fast != nil && s.rule != 0 {
		var m message
		if err := s.rule.layout(&m, c); err != nil {
			return -1, err
		}
		return kr.matchMessage(&want, &m, live)
	}
	st := kr.states.Get().(*macState)
	defer kr.release(st)
	if s.rule != 0 { // crypto/hmac: FIPS mode, or a failed self-test
		var m message
		if err := s.rule.layout(&m, c); err != nil {
			return -1, err
		}
		return st.matchHMAC(&want, &m, live)
	}
	msg, err := s.compose(st, c)
	if err != nil {
		return -1, err
	}
	return kr.match(st, &want, msg, live)
}

// liveness reads the clock only for a Signer with retiring secrets.
func (s *Signer) liveness() liveness {
	if s.notAfter == nil {
		return liveness{}
	}
	return liveness{notAfter: s.notAfter, now: s.now()}
}

func (s *Signer) checkExpiry(expiresAt *time.Time) error {
	if expiresAt.IsZero() {
		return nil
	}
	if !s.now().Before(expiresAt.Add(s.leeway)) {
		return errExpired
	}
	return nil
}

// Verify is a one-shot Signer.Verify under a throwaway Signer for scheme:
// the signature must be the scheme's canonical text (hex for Intercom,
// base64 for Engagespot) of the MAC of the scheme's message. The rules and
// options of New apply; the clock is time.Now unless WithClock is given.
// Use a Signer to verify more than once: it keeps the keyed state and does
// not allocate.
func Verify(scheme Scheme, secret []byte, id Identity, signature string, opts ...Option) error {
	s, err := New(scheme, secret, append(opts[:len(opts):len(opts)], withHMACOnly())...)
	if err != nil {
		return err
	}
	return s.Verify(id, signature)
}
