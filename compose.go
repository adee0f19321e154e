package usersig

import (
	"encoding/binary"
	"time"
)

// A Composer writes the exact bytes a scheme signs for an identity.
//
// AppendMessage appends the message to dst and returns the extended slice, so
// a caller can reuse one buffer across calls. It returns an error wrapping
// ErrMissingIdentity when the identity lacks every field the scheme signs.
// Implementations must be safe for concurrent use and must not retain dst.
type Composer interface {
	AppendMessage(dst []byte, id Identity) ([]byte, error)
}

// MessageRule is a Composer that ships with this package. Its values are
// constants, so no caller can change what another caller's scheme signs.
type MessageRule uint8

// The message rules. Each signs the UTF-8 bytes of the fields as given:
// nothing is trimmed, lower-cased or normalised, because every vendor signs
// the exact text its widget is handed.
const (
	// UserID signs the user id. An empty id is ErrMissingIdentity.
	UserID MessageRule = iota + 1

	// Email signs the email. An empty email is ErrMissingIdentity.
	Email

	// UserIDOrEmail signs the user id if it is set, else the email (Intercom,
	// MagicBell, Front, Featurebase). Both empty is ErrMissingIdentity. The
	// message does not say which field it is: a signature for user id
	// "x@y.z" is also one for email "x@y.z". Issue signatures for one field.
	UserIDOrEmail

	// UserIDEmail signs the user id followed by the email with no separator;
	// either may be empty, not both (Helpshift). It is byte-compatible with
	// Helpshift and therefore ambiguous: id "ab" with email "c@x" and id "abc"
	// with email "@x" share one message and so one signature. Use it only to
	// talk to Helpshift; use Framed where you control both sides.
	UserIDEmail

	// UserIDExpiry signs the user id followed by the expiry as FormatExpiry
	// writes it (JavaScript's Date.prototype.toJSON, e.g.
	// "2026-11-22T10:00:00.000Z"), or by nothing when ExpiresAt is zero
	// (Product Fruits). An empty user id is ErrMissingIdentity. Verifying a
	// text the client sent back, in whatever form it was signed, is
	// Signer.VerifyCredential's job. Like UserIDEmail it has no separator,
	// so an id ending in date-like text is ambiguous with a shorter id and
	// an expiry: WithExpiryRequired closes that.
	UserIDExpiry

	// Framed signs every field unambiguously: a domain-separation label, then
	// the user id and the email each as an 8-byte big-endian length and the
	// bytes, then the expiry as a presence byte and, when present, Unix
	// seconds (8 bytes) and nanoseconds (4 bytes). Two different identities
	// never share a message. No vendor checks this form: use it where your
	// own services sign and verify. Both id and email empty is
	// ErrMissingIdentity.
	Framed
)

// framedLabel separates Framed messages from any other use of the same key.
const framedLabel = "usersig/framed/v1\x00"

// String returns the rule's Go name, for logs and diagnostics.
func (r MessageRule) String() string {
	switch r {
	case UserID:
		return "UserID"
	case Email:
		return "Email"
	case UserIDOrEmail:
		return "UserIDOrEmail"
	case UserIDEmail:
		return "UserIDEmail"
	case UserIDExpiry:
		return "UserIDExpiry"
	case Framed:
		return "Framed"
	}
	return "MessageRule(invalid)"
}

// Describe says in words what the rule signs, for documentation and the CLI.
func (r MessageRule) Describe() string {
	switch r {
	case UserID:
		return "user id"
	case Email:
		return "email"
	case UserIDOrEmail:
		return "user id if set, else email"
	case UserIDEmail:
		return "user id + email, no separator"
	case UserIDExpiry:
		return "user id + expiry as JS toJSON text (or nothing)"
	case Framed:
		return "length-prefixed id, email, expiry"
	}
	return "invalid"
}

// AppendMessage implements Composer: the fields signedFields says r signs,
// in the rule's layout. For UserIDExpiry the expiry is written as
// FormatExpiry writes it.
func (r MessageRule) AppendMessage(dst []byte, id Identity) ([]byte, error) {
	c, err := claimOf(id)
	if err != nil {
		return dst, err
	}
	return r.appendClaim(dst, c)
}

// appendClaim is the one composition of every rule. Which fields go in is
// signedFields' answer alone; the rule only decides their layout.
func (r MessageRule) appendClaim(dst []byte, c claim) ([]byte, error) {
	if !r.valid() {
		return dst, errInvalidRule
	}
	f := r.signedFields(c.Identity)
	if f.UserID == "" && f.Email == "" {
		return dst, missing(r.needs())
	}
	if r == Framed {
		return appendFramed(dst, f), nil
	}
	dst = append(append(dst, f.UserID...), f.Email...)
	if f.ExpiresAt.IsZero() {
		return dst, nil
	}
	if c.expires != "" {
		return append(dst, c.expires...), nil
	}
	return appendExpiry(dst, f.ExpiresAt)
}

// needs names what r cannot sign without, for ErrMissingIdentity.
func (r MessageRule) needs() string {
	switch r {
	case UserID, UserIDExpiry:
		return "user id"
	case Email:
		return "email"
	}
	return "user id or email"
}

func appendFramed(dst []byte, id Identity) []byte {
	dst = append(dst, framedLabel...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(id.UserID)))
	dst = append(dst, id.UserID...)
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(id.Email)))
	dst = append(dst, id.Email...)
	if id.ExpiresAt.IsZero() {
		return append(dst, 0)
	}
	dst = append(dst, 1)
	dst = binary.BigEndian.AppendUint64(dst, uint64(id.ExpiresAt.Unix()))
	return binary.BigEndian.AppendUint32(dst, uint32(id.ExpiresAt.Nanosecond()))
}

func (r MessageRule) valid() bool { return r >= UserID && r <= Framed }

// signedFields is id less every field c does not sign: those are a client's
// word alone. A MessageRule says which it signs; for a Composer of your own,
// a field is signed when removing it changes the message (or makes c refuse).
// It is the zero Identity when c cannot sign id at all.
func signedFields(c Composer, id Identity) Identity {
	if r, ok := c.(MessageRule); ok {
		return r.signedFields(id)
	}
	full, err := c.AppendMessage(nil, id)
	if err != nil {
		return Identity{}
	}
	bound := func(without Identity) bool {
		m, err := c.AppendMessage(nil, without)
		return err != nil || string(m) != string(full)
	}
	out := id
	if id.UserID != "" && !bound(Identity{Email: id.Email, ExpiresAt: id.ExpiresAt}) {
		out.UserID = ""
	}
	if id.Email != "" && !bound(Identity{UserID: id.UserID, ExpiresAt: id.ExpiresAt}) {
		out.Email = ""
	}
	if !id.ExpiresAt.IsZero() && !bound(Identity{UserID: id.UserID, Email: id.Email}) {
		out.ExpiresAt = time.Time{}
	}
	return out
}

// signedFields is the table of what each rule signs, the one statement of
// it: appendClaim composes exactly these fields, Authenticate and Issue hand
// out exactly these, and the CLI and diagnose ask Scheme.SignedFields.
func (r MessageRule) signedFields(id Identity) Identity {
	f := r.fieldsOf(id)
	if f.UserID == "" && f.Email == "" {
		return Identity{} // an expiry alone vouches for nobody
	}
	return f
}

func (r MessageRule) fieldsOf(id Identity) Identity {
	switch r {
	case UserID:
		return Identity{UserID: id.UserID}
	case Email:
		return Identity{Email: id.Email}
	case UserIDOrEmail:
		if id.UserID != "" {
			return Identity{UserID: id.UserID}
		}
		return Identity{Email: id.Email}
	case UserIDEmail:
		return Identity{UserID: id.UserID, Email: id.Email}
	case UserIDExpiry:
		return Identity{UserID: id.UserID, ExpiresAt: id.ExpiresAt}
	case Framed:
		return id
	}
	return Identity{}
}
