package usersig

import (
	"fmt"
	"strings"
)

// A Scheme is a named way to sign identities: what is signed (Composer) and
// how the MAC travels as text (Encoding), plus, for the vendors that send
// them in HTTP headers, the header names.
//
// The presets (Engagespot, Intercom, ...) are functions returning a fresh
// Scheme, not variables, so no caller can change another caller's preset.
// Build your own Scheme for a format not listed; Name is free text.
type Scheme struct {
	// Name is the preset's lookup name ("engagespot"), or yours.
	Name string
	// Composer writes the bytes signed. Required.
	Composer Composer
	// Encoding is the signature's text form. Required.
	Encoding Encoding
	// Headers are the HTTP headers the vendor's client sends the identity
	// and signature in; zero where the signature travels in JavaScript.
	Headers Headers
	// SecretEncoding is how the vendor hands out the secret: the zero value,
	// SecretAsGiven, keys with its bytes as given; SecretHex decodes it
	// first (Pylon). New applies it to the current and previous secrets.
	SecretEncoding SecretForm

	// Vendor is the product's display name ("Help Scout Beacon").
	Vendor string
	// Transport says where the signature goes in the vendor's front end
	// ("intercomSettings.user_hash").
	Transport string
	// Source is the document or code the preset was read from.
	Source string
}

// Headers names the HTTP headers that carry an identity and its signature.
// An empty name means the field is not sent in a header.
type Headers struct {
	UserID    string
	Email     string
	Expires   string
	Signature string
	// APIKey is the vendor's public per-project key header, which a
	// multi-tenant verifier uses to pick the project's secrets.
	APIKey string
}

func (sc Scheme) validate() error {
	if sc.Composer == nil {
		return fmt.Errorf("%w: %q has no Composer", errInvalidScheme, sc.Name)
	}
	if r, ok := sc.Composer.(MessageRule); ok && !r.valid() {
		return fmt.Errorf("%w: %q has an unknown MessageRule", errInvalidScheme, sc.Name)
	}
	if !sc.Encoding.valid() {
		return fmt.Errorf("%w: %q has an unknown Encoding", errInvalidScheme, sc.Name)
	}
	if !sc.SecretEncoding.valid() {
		return fmt.Errorf("%w: %q has an unknown SecretEncoding", errInvalidScheme, sc.Name)
	}
	return nil
}

// Describe says in words what the scheme signs, for documentation and the
// CLI: the MessageRule's description, or the Composer's type.
func (sc Scheme) Describe() string {
	if r, ok := sc.Composer.(MessageRule); ok {
		return r.Describe()
	}
	return fmt.Sprintf("%T", sc.Composer)
}

// SignedFields returns id less every field the scheme's signature does not
// cover, which are a client's word alone: the one statement of which fields
// a scheme signs, used by Authenticate, Issue and the CLI. A MessageRule
// says which it signs; for a Composer of your own, a field counts as signed
// when removing it changes the message (or makes the Composer refuse). It
// returns the zero Identity when the Composer cannot sign id at all.
func (sc Scheme) SignedFields(id Identity) Identity {
	return signedFields(sc.Composer, id)
}

// AppendMessage appends the exact bytes a Signer for this scheme MACs for c
// as a client sent it — the expiry as c's exact text, which UserIDExpiry
// signs byte for byte — and returns the extended slice. It is what Sign,
// SignCredential and VerifyCredential compose, exposed for tools that must
// show or re-hash the message (usersig diagnose). c.Signature is ignored,
// except under UserIDTimestamp, whose message ends in the signing time the
// signature carries: the digits after its last '-' (ErrMalformedSignature
// if they are not canonical Unix seconds; the MAC's text is not checked).
// Errors are SignCredential's: ErrInvalidExpiry for an unreadable text,
// ErrMissingIdentity, ErrInvalidScheme.
func (sc Scheme) AppendMessage(dst []byte, c Credential) ([]byte, error) {
	if err := sc.validate(); err != nil {
		return dst, err
	}
	cl, err := claimFrom(c)
	if err != nil {
		return dst, err
	}
	if r, ok := sc.Composer.(MessageRule); ok {
		if r == UserIDTimestamp {
			if cl.stamp, err = stampOf(sc.Encoding, c.Signature); err != nil {
				return dst, err
			}
		}
		return r.appendClaim(dst, cl)
	}
	return sc.Composer.AppendMessage(dst, cl.Identity)
}

// LookupScheme returns the preset named name ("engagespot", "intercom", ...,
// as listed by Schemes) and true, or a zero Scheme and false. Names are
// matched without regard to ASCII case, as usertoken.ProfileByName matches
// profile names, so "Intercom" finds "intercom".
func LookupScheme(name string) (Scheme, bool) {
	for _, preset := range presets {
		if sc := preset(); strings.EqualFold(sc.Name, name) {
			return sc, true
		}
	}
	return Scheme{}, false
}

// Schemes returns every preset, in a stable order: the vendors the module
// was designed from first (Engagespot, Proficient, Helpshift, Product Fruits),
// then the rest as documented in the README. The slice is new on each call.
func Schemes() []Scheme {
	out := make([]Scheme, len(presets))
	for i, preset := range presets {
		out[i] = preset()
	}
	return out
}
