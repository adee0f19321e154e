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

	// UserIDTimestamp signs the user id, a '-', and the time of signing as
	// decimal Unix seconds ("alice-1596165824"), and the signature's text
	// carries those seconds after the MAC: the encoding's text, a '-', and
	// the same digits (Chameleon's uid_hash,
	// "7aad…f5e5-1596165824"). A Signer stamps its own clock's time when it
	// signs, reads the time back from the text when it verifies, and
	// refuses a stamp older than its freshness window (WithFreshness) or
	// later than now plus the leeway. It cannot compose a message without
	// that time, so AppendMessage on an Identity alone refuses with
	// ErrMissingIdentity; Scheme.AppendMessage reads it from the
	// Credential's signature. An empty user id is ErrMissingIdentity.
	UserIDTimestamp
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
	case UserIDTimestamp:
		return "UserIDTimestamp"
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
	case UserIDTimestamp:
		return `user id + "-" + Unix seconds; the text is the MAC + "-" + those seconds`
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

// appendClaim is the one composition of every rule: the bytes of
// r.message(c), in order.
func (r MessageRule) appendClaim(dst []byte, c claim) ([]byte, error) {
	var m message
	if err := r.layout(&m, &c); err != nil {
		return dst, err
	}
	return m.appendTo(dst), nil
}

// layout sets the zero message m to what r signs for c. Which fields go in
// is signs' answer alone; the rule only decides their layout.
func (r MessageRule) layout(m *message, c *claim) error {
	if !r.valid() {
		return errInvalidRule
	}
	userID, email, expiry := r.signs(&c.Identity)
	if !userID && !email {
		return missing(r.needs())
	}
	if r == Framed {
		m.framed(&c.Identity)
		return nil
	}
	if r == UserIDTimestamp {
		return m.stamped(c)
	}
	if userID {
		m.text[0] = c.UserID
	}
	if email {
		m.text[1] = c.Email
	}
	switch {
	case !expiry || c.ExpiresAt.IsZero():
	case c.expires != "":
		m.text[2] = c.expires
	default:
		own, err := appendExpiry(m.own[:0], c.ExpiresAt)
		if err != nil {
			return err
		}
		m.ends[3] = uint8(len(own)) // the formatted expiry ends the message
	}
	return nil
}

// A message is what a rule signs, in pieces: the caller's texts (id, email,
// an expiry text as a client sent it) where they lie, each after a run of
// the rule's own bytes (framing, lengths, a formatted expiry). The pieces
// in order are own[:ends[0]], text[0], own[ends[0]:ends[1]], text[1],
// own[ends[1]:ends[2]], text[2], own[ends[2]:ends[3]]. Keeping the texts
// apart is what lets a Signer hash a long identity without copying it;
// appendTo and the MAC's writer read the same pieces, so both see the same
// bytes.
type message struct {
	own  [48]byte // the longest run is Framed's 47 bytes
	ends [4]uint8
	text [3]string
}

// ownRun is the i-th run of the rule's own bytes, i in 0..3.
func (m *message) ownRun(i int) []byte {
	lo := 0
	if i > 0 {
		lo = int(m.ends[i-1])
	}
	return m.own[lo:m.ends[i]]
}

// len is the message's length in bytes.
func (m *message) len() int {
	return int(m.ends[3]) + len(m.text[0]) + len(m.text[1]) + len(m.text[2])
}

func (m *message) appendTo(dst []byte) []byte {
	for i := range m.text {
		dst = append(append(dst, m.ownRun(i)...), m.text[i]...)
	}
	return append(dst, m.ownRun(3)...)
}

// copyTo is appendTo into blk, which must hold m.len() bytes: the MAC's
// one-block path, where a copy is cheaper than an append.
func (m *message) copyTo(blk []byte) {
	n, lo := 0, 0
	for i := range m.text { // most pieces are empty: skip their copies
		if hi := int(m.ends[i]); hi > lo {
			n += copy(blk[n:], m.own[lo:hi])
			lo = hi
		}
		if m.text[i] != "" {
			n += copy(blk[n:], m.text[i])
		}
	}
	if hi := int(m.ends[3]); hi > lo {
		copy(blk[n:], m.own[lo:hi])
	}
}

// framed lays out id as Framed signs it (see Framed).
func (m *message) framed(id *Identity) {
	b := append(m.own[:0], framedLabel...)
	b = binary.BigEndian.AppendUint64(b, uint64(len(id.UserID)))
	m.ends[0] = uint8(len(b))
	m.text[0] = id.UserID
	b = binary.BigEndian.AppendUint64(b, uint64(len(id.Email)))
	m.ends[1] = uint8(len(b))
	m.text[1] = id.Email
	m.ends[2] = uint8(len(b))
	if id.ExpiresAt.IsZero() {
		b = append(b, 0)
	} else {
		b = append(b, 1)
		b = binary.BigEndian.AppendUint64(b, uint64(id.ExpiresAt.Unix()))
		b = binary.BigEndian.AppendUint32(b, uint32(id.ExpiresAt.Nanosecond()))
	}
	m.ends[3] = uint8(len(b))
}

// needs names what r cannot sign without, for ErrMissingIdentity.
func (r MessageRule) needs() string {
	switch r {
	case UserID, UserIDExpiry, UserIDTimestamp:
		return "user id"
	case Email:
		return "email"
	}
	return "user id or email"
}

func (r MessageRule) valid() bool { return r >= UserID && r <= UserIDTimestamp }

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

// signedFields is what r signs of id: the fields signs names.
func (r MessageRule) signedFields(id Identity) Identity {
	userID, email, expiry := r.signs(&id)
	var f Identity
	if userID {
		f.UserID = id.UserID
	}
	if email {
		f.Email = id.Email
	}
	if expiry {
		f.ExpiresAt = id.ExpiresAt
	}
	return f
}

// signs is the table of what each rule signs, the one statement of it:
// layout composes exactly these fields, Authenticate and Issue hand out
// exactly these (signedFields), and the CLI and diagnose ask
// Scheme.SignedFields. It answers with flags, not an Identity, so the hot
// path reads the fields where they lie.
func (r MessageRule) signs(id *Identity) (userID, email, expiry bool) {
	switch r {
	case UserID:
		userID = true
	case Email:
		email = true
	case UserIDOrEmail:
		userID = id.UserID != ""
		email = !userID
	case UserIDEmail:
		userID, email = true, true
	case UserIDExpiry:
		userID, expiry = true, true
	case Framed:
		userID, email, expiry = true, true, true
	case UserIDTimestamp: // the time is the signature's, not the identity's
		userID = true
	}
	if !(userID && id.UserID != "" || email && id.Email != "") {
		return false, false, false // an expiry alone vouches for nobody
	}
	return userID, email, expiry
}
