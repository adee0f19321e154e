package usersig

import "time"

// Identity is who a signature vouches for.
//
// Which fields are signed depends on the Scheme's Composer: most vendors sign
// only the user id or only the email (Scheme.SignedFields says which). A zero
// ExpiresAt means the signature does not expire; any other ExpiresAt must lie
// in the years 0000-9999 UTC (else ErrInvalidExpiry). Verification refuses
// an identity whose expiry has passed whatever the signature, but the expiry
// is bound to the signature only when the composer signs it (UserIDExpiry,
// Framed): with any other composer a client can simply drop it, so do not
// rely on it for those schemes.
type Identity struct {
	UserID    string
	Email     string
	ExpiresAt time.Time
}

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

// A claim is what a Signer composes and signs: an identity and, when it came
// from a client, the exact expiry text it was sent with. Every signing and
// verifying path builds one — from an Identity (claimOf) or from a
// Credential (claimFrom) — and composes it in one place
// (MessageRule.appendClaim), so no text reaches the message by another way.
type claim struct {
	Identity
	// expires is the expiry text as the client sent it, which a
	// text-signing rule (UserIDExpiry) signs byte for byte; "" means the
	// rule writes ExpiresAt in its own form (FormatExpiry's).
	expires string
	// stamp is the signing time UserIDTimestamp signs: set by the Signer
	// when it signs, or read from the signature's text when it verifies.
	stamp stamp
}

// claimOf is the claim for an identity a caller holds.
func claimOf(id Identity) (claim, error) {
	var c claim
	err := c.setIdentity(id)
	return c, err
}

// setIdentity makes the zero claim c the claim for id, as claimOf does. It
// fills c in place, which spares the hot paths copying a returned claim.
func (c *claim) setIdentity(id Identity) error {
	if !id.ExpiresAt.IsZero() {
		if err := checkExpiryRange(id.ExpiresAt); err != nil {
			return err
		}
	}
	c.Identity = id
	return nil
}

// claimFrom reads a credential as a client sent it: the expiry text is
// parsed for its instant and kept exactly as sent.
func claimFrom(cr Credential) (claim, error) {
	c := claim{Identity: Identity{UserID: cr.UserID, Email: cr.Email}}
	if cr.Expires == "" {
		return c, nil
	}
	t, err := ParseExpiry(cr.Expires)
	if err != nil {
		return claim{}, err
	}
	c.ExpiresAt, c.expires = t, cr.Expires
	return c, nil
}

// expiryText is the text Issue hands out for t under rule r: JavaScript's
// toJSON for UserIDExpiry, which signs that text; RFC 3339 with nanoseconds
// otherwise, which ParseExpiry reads back to the same instant.
func expiryText(r MessageRule, t time.Time) (string, error) {
	if r == UserIDExpiry {
		return FormatExpiry(t)
	}
	if err := checkExpiryRange(t); err != nil {
		return "", err
	}
	return t.UTC().Format(time.RFC3339Nano), nil
}
