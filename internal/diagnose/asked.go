package diagnose

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/usersig/usersig"
)

// A Verdict answers for the scheme the user asked about (Input.Scheme):
// valid, not valid because of mistakes the tables know, or not valid with
// nothing to explain it but what the text, the secret and the MAC show.
// Its Explanation has one form in all three cases: "Valid for scheme X:
// ...", "Not valid for scheme X, because of N mistakes: ...", "Not valid
// for scheme X, and no common mistake explains it: ...".
type Verdict struct {
	Scheme      string   `json:"scheme"`
	Vendor      string   `json:"vendor"`
	Valid       bool     `json:"valid"`
	Explained   bool     `json:"explained"` // valid, or explained by Mistakes
	Mistakes    []string `json:"mistakes"`  // empty unless explained by mistakes
	Explanation string   `json:"explanation"`
	SignedText  string   `json:"signedText,omitempty"` // what the HMAC was computed over, when known

	headline, detail string // the text form: one line, then an indented paragraph
}

// askedTarget is the search target of the preset named name (any case).
func askedTarget(targets []target, name string) (target, bool) {
	for _, t := range targets {
		if strings.EqualFold(t.sc.Name, name) {
			return t, true
		}
	}
	return target{}, false
}

// verdict answers for t: valid, else the fewest mistakes under t, else why
// not.
func (s *search) verdict(t target, in Input, secret []byte) *Verdict {
	sc := t.sc
	v := &Verdict{Scheme: sc.Name, Vendor: sc.Vendor, Mistakes: []string{}}
	if valid := s.validFor([]target{t}); len(valid) > 0 {
		v.Valid, v.Explained, v.SignedText = true, true, valid[0].SignedText
		v.headline = fmt.Sprintf("Valid for scheme %s: the signature is the HMAC of %s as %s.", sc.Name, strconv.Quote(v.SignedText), sc.Encoding)
		v.Explanation = v.headline
		return v
	}
	if m := s.explain([]target{t}); len(m) > 0 {
		v.Explained, v.Mistakes, v.SignedText = true, m[0].Mistakes, m[0].SignedText
		v.headline = fmt.Sprintf("Not valid for scheme %s, because of %s: %s.", sc.Name, plural(len(m[0].Mistakes), "mistake"), m[0].Mistake)
		v.detail = m[0].detail + " " + aboutScheme(sc)
		v.Explanation = v.headline + " " + v.detail
		return v
	}
	v.headline = fmt.Sprintf("Not valid for scheme %s, and no common mistake explains it:", sc.Name)
	v.detail = whyNot(sc, in, secret)
	v.Explanation = v.headline + " " + v.detail
	return v
}

// whyNot says what the core sees when nothing in the tables explains the
// signature under sc, in a fixed order: the secret's form, the text's form
// (encoding, case, length: a truncated text is called so), then the MAC.
func whyNot(sc usersig.Scheme, in Input, secret []byte) string {
	var why []string
	about := aboutScheme(sc)
	if where := SecretWhitespace(secret); where != "" {
		why = append(why, "The secret given "+where+", which no vendor's secret does: if the backend's has none, that alone makes every signature differ.")
	} else if err := sc.SecretEncoding.Check(secret); err != nil {
		why = append(why, "The secret given cannot be this scheme's: "+strings.TrimPrefix(err.Error(), "usersig: ")+".")
	}
	// A clock at the start of time: an expiry cannot hide the verdict on
	// the text and the MAC.
	signer, err := usersig.New(sc, secret, usersig.WithShortSecretsAllowed(), usersig.WithClock(func() time.Time { return time.Time{} }))
	if err != nil {
		return strings.Join(append(why, about), " ")
	}
	err = signer.VerifyCredential(usersig.Credential{UserID: in.UserID, Email: in.Email, Expires: in.Expires, Signature: in.Signature})
	var fe *usersig.SignatureFormatError
	switch {
	case errors.As(err, &fe):
		why = append(why, fmt.Sprintf("The text is not in the scheme's form: %s wants %s (%d characters), and this text %s.", sc.Name, sc.Encoding, sc.Encoding.EncodedLen(), fe.Reason))
		shape, full := shapeOf(in.Signature)
		if full {
			why = append(why, "Read in the form it is in, it is a whole HMAC-SHA256, but not the one of this identity under this secret, so the secret or the signed text differs as well. "+differentSecret)
		} else {
			why = append(why, shape)
		}
	case errors.Is(err, usersig.ErrMissingIdentity):
		why = append(why, fmt.Sprintf("The identity given has nothing scheme %s signs.", sc.Name))
	default: // ErrInvalidSignature: the form is right, the MAC is not
		why = append(why, fmt.Sprintf("The text is in the scheme's form (%s, %d characters), but it is not the HMAC of this identity under this secret. %s", sc.Encoding, sc.Encoding.EncodedLen(), differentSecret))
	}
	return strings.Join(append(why, about), " ")
}

// aboutScheme says what sc signs and how it writes it, closing every answer
// for an asked scheme the signature is not valid for.
func aboutScheme(sc usersig.Scheme) string {
	return fmt.Sprintf("%s signs the %s, as %s (%d characters).", sc.Vendor, sc.Describe(), sc.Encoding, sc.Encoding.EncodedLen())
}

// SecretWhitespace says where secret has whitespace at either end, as
// usersig.SecretForm.Check finds it ("ends with a line break", "ends with
// whitespace", "begins with whitespace"), or returns "". The CLI warns with
// it on every command.
func SecretWhitespace(secret []byte) string {
	err := usersig.SecretAsGiven.Check(secret)
	if !errors.Is(err, usersig.ErrMalformedSecret) {
		return ""
	}
	_, rest, _ := strings.Cut(err.Error(), "the secret ")
	where, _, _ := strings.Cut(rest, ",")
	return where
}

// otherEncodings returns a note for each encoding under which the
// signature would be valid for schemes it is not valid for as written: the
// same HMAC, the other text. Given an Intercom user's base64 hash, it says
// Intercom (and the other hex schemes signing the same message) wants hex.
func (s *search) otherEncodings(targets []target, valid []Match) []string {
	isValid := make(map[string]bool, len(valid))
	for _, m := range valid {
		isValid[m.Scheme] = true
	}
	var written []usersig.Encoding
	for _, t := range targets {
		if isValid[t.sc.Name] {
			written = append(written, t.sc.Encoding)
		}
	}
	byEnc := map[usersig.Encoding][]string{}
	for _, t := range targets {
		if isValid[t.sc.Name] {
			continue
		}
		key, ok := keyMistakes[0].key(s.secret, t.form)
		msgs := s.messagesFor(t)
		if !ok || len(msgs) == 0 || msgs[0].row != 0 {
			continue
		}
		mac := s.mac(key, msgs[0].text)
		for _, enc := range written {
			if enc != t.sc.Encoding && canonical(mac, enc) == s.sig {
				byEnc[t.sc.Encoding] = append(byEnc[t.sc.Encoding], t.sc.Name)
				break
			}
		}
	}
	var notes []string
	for enc, names := range byEnc {
		notes = append(notes, fmt.Sprintf("Written as %s, the same HMAC is valid for %s: if the signature is meant for one of those, it is in the wrong encoding (add --scheme NAME to check one).", enc, strings.Join(names, ", ")))
	}
	sort.Strings(notes)
	return notes
}
