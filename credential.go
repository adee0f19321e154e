package usersig

import "time"

// A Credential is an identity and its signature as text, the way they travel
// between a backend, its front end and the service that checks them. Expires
// is the exact expiry text that was signed (empty for none); for Product
// Fruits it is user.hmac.expiration and Signature is user.hmac.hash.
type Credential struct {
	UserID    string `json:"userId,omitempty"`
	Email     string `json:"email,omitempty"`
	Expires   string `json:"expires,omitempty"`
	Signature string `json:"signature"`
}

// Issue signs id and returns the signature with the fields it covers, so a
// backend can hand its front end everything in one step. Fields the scheme
// does not sign are left out (Proficient's Credential has no email, say), so
// nothing unsigned looks vouched for. For UserIDExpiry schemes Expires is
// the text signed (FormatExpiry's); for Framed it is ExpiresAt in RFC 3339
// with nanoseconds. Issue is SignCredential over that text, so what it hands
// out is exactly what VerifyCredential accepts back.
func (s *Signer) Issue(id Identity) (Credential, error) {
	c := Credential{UserID: id.UserID, Email: id.Email}
	if !id.ExpiresAt.IsZero() {
		var err error
		if s.rule == UserIDExpiry {
			c.Expires, err = FormatExpiry(id.ExpiresAt)
		} else {
			c.Expires = id.ExpiresAt.UTC().Format(time.RFC3339Nano)
		}
		if err != nil {
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
func (s *Signer) SignCredential(c Credential) (Credential, error) {
	id, err := c.identity()
	if err != nil {
		return Credential{}, err
	}
	var buf [64]byte
	sig, err := s.appendSign(buf[:0], id, &c.Expires)
	if err != nil {
		return Credential{}, err
	}
	signed := signedFields(s.scheme.Composer, id)
	out := Credential{UserID: signed.UserID, Email: signed.Email, Signature: string(sig)}
	if !signed.ExpiresAt.IsZero() {
		out.Expires = c.Expires
	}
	return out, nil
}

// identity reads the credential's identity, parsing its expiry text.
func (c Credential) identity() (Identity, error) {
	id := Identity{UserID: c.UserID, Email: c.Email}
	if c.Expires == "" {
		return id, nil
	}
	t, err := ParseExpiry(c.Expires)
	id.ExpiresAt = t
	return id, err
}

// VerifyCredential verifies a credential as a client sent it. The expiry
// text is parsed with ParseExpiry (any RFC 3339 form, bounded in length) and
// checked against the clock like Verify does; for UserIDExpiry schemes the
// MAC is over the exact text received, so a signature made over .NET's
// seven-digit ToString("o") verifies as well as one over JavaScript's
// toJSON. Errors are Verify's, plus ErrInvalidExpiry for an unreadable text.
func (s *Signer) VerifyCredential(c Credential) error {
	_, err := s.Authenticate(c)
	return err
}

// Authenticate is VerifyCredential returning the identity the credential
// proves: only the fields the scheme's signature covers. For a UserID scheme
// that is the user id alone, even if the client also sent an email or an
// expiry, since it could have put anything there; for UserIDOrEmail the id
// if one was sent, else the email; for UserIDExpiry the id and the expiry;
// for a Composer of your own, each field whose removal changes the message
// (or makes the composer refuse). On error the Identity is zero.
//
// The signature does not say which field it was made over. Under
// UserIDOrEmail a signature issued for user id "x@y.z" also authenticates
// email "x@y.z", and under UserIDExpiry the split between id and expiry is
// the client's (see WithExpiryRequired). Look users up by the field your
// backend issued signatures for.
func (s *Signer) Authenticate(c Credential) (Identity, error) {
	id, err := c.identity()
	if err != nil {
		return Identity{}, err
	}
	if err := s.verify(id, c.Signature, &c.Expires); err != nil {
		return Identity{}, err
	}
	return signedFields(s.scheme.Composer, id), nil
}
