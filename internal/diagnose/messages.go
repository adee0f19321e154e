package diagnose

import (
	"strings"
	"time"

	"github.com/usersig/usersig"
)

// message is the identity the user gave: the expiry both as its exact text
// and as the instant it names.
type message struct {
	userID, email, expires string
	expiresAt              time.Time
	// stamp is the signing time a timestamped signature (Chameleon's)
	// carries after its last '-', as digits; "" when it carries none.
	stamp string
}

func (m message) identity() usersig.Identity {
	return usersig.Identity{UserID: m.userID, Email: m.email, ExpiresAt: m.expiresAt}
}

// compose is the message r signs for m, composed by the core over the
// exact expiry text given, as the vendor's server (and
// Signer.VerifyCredential) checks the text it receives.
func compose(r usersig.MessageRule, m message) (string, bool) {
	sc := usersig.Scheme{Composer: r, Encoding: usersig.Hex}
	msg, err := sc.AppendMessage(nil, usersig.Credential{UserID: m.userID, Email: m.email, Expires: m.expires, Signature: "-" + m.stamp})
	if err != nil {
		return "", false
	}
	return string(msg), true
}

// A messageMistake is a way the text signed differs from what the scheme
// signs for the identity given. signed returns the rule the mistaken
// message was composed by (the scheme's own, or another) and the identities
// it may have been composed from (one for most rows, a few for a case
// that cannot be undone, such as an email the client lower-cased), or none
// when the mistake does not apply.
type messageMistake struct {
	name, explanation string
	signed            func(t target, m message) (usersig.MessageRule, []message)
}

// messageMistakes starts with "no mistake". Order breaks ties: earlier rows
// are the more common mistakes. To add a mistake, add a row.
var messageMistakes = []messageMistake{
	{"", "", edit(func(*message) bool { return true })},
	{"email lower-cased", "The hash was computed over the lower-cased email, but the email given has upper-case letters. The vendor hashes the exact text the widget is given: sign the same string you pass to the widget (lower-case it in both places or in neither).",
		edit(func(m *message) bool { m.email = strings.ToLower(m.email); return true })},
	{"email trimmed", "The hash was computed over the email without the surrounding whitespace the email given has. The vendor hashes the exact text the widget is given: trim it before both signing and passing it to the widget.",
		edit(func(m *message) bool { m.email = strings.TrimSpace(m.email); return true })},
	{"email lower-cased and trimmed", "The hash was computed over the email lower-cased and trimmed, but the email given differs in case and whitespace. The vendor hashes the exact text the widget is given: normalise it the same way in both places.",
		edit(func(m *message) bool { m.email = strings.ToLower(strings.TrimSpace(m.email)); return true })},
	{"email lower-cased by the client", "The hash was computed over the email with capitals, as the backend has it, but the email given is all lower-case: something between the backend and the widget lower-cased it. The vendor hashes the exact text the widget is given: pass the widget the string you sign (lower-case it in both places or in neither).",
		editEach(otherCases(func(m *message) *string { return &m.email }, true))},
	{"user id trimmed", "The hash was computed over the user id without the surrounding whitespace the user id given has: sign exactly the text the widget is given.",
		edit(func(m *message) bool { m.userID = strings.TrimSpace(m.userID); return true })},
	{"user id in another case", "The hash was computed over the user id in another letter case than the one given. The vendor compares ids byte for byte, so ABC-123 and abc-123 are different users to it (a UUID upper-cased by a database or a .NET Guid, say): sign the id exactly as the widget is given it.",
		editEach(otherCases(func(m *message) *string { return &m.userID }, false))},
	{"user id and email swapped", "The hash was computed over the other identifier: the email where the scheme signs the user id, or the reverse (or the two were passed swapped). Sign the identifier the vendor checks, the same one the widget is given.",
		edit(swap)},
	{"user id + email", "The hash was computed over the user id followed by the email (Helpshift's rule), but this scheme does not sign that text.",
		underRule(usersig.UserIDEmail, func(*message) bool { return true })},
	{"email + user id", "The hash was computed over the email followed by the user id: the wrong fields, or in the wrong order.",
		underRule(usersig.UserIDEmail, swap)},
	{"number formatted differently", "The hash was computed over the numeric user id written another way (123 vs 123.0: a float somewhere on the way). Sign the id as the exact string the widget is given.",
		edit(reformatNumber)},
	{"expiry in .NET form", "The hash was computed over the expiry written as .NET's ToString(\"o\") writes it, with seven fraction digits (2026-11-22T10:00:00.0000000Z), but the expiry given is another text. The expiry text sent back (user.hmac.expiration) must be the exact text signed: send that text unchanged, or sign the text you send.",
		editExpiry(func(m *message) bool {
			m.expires = m.expiresAt.UTC().Format("2006-01-02T15:04:05.0000000Z")
			return true
		})},
	{"expiry in JavaScript form", "The hash was computed over the expiry written as JavaScript's toJSON writes it, with three fraction digits (2026-11-22T10:00:00.000Z), but the expiry given is another text. The expiry text sent back (user.hmac.expiration) must be the exact text signed: send that text unchanged, or sign the text you send.",
		editExpiry(func(m *message) bool {
			js, err := usersig.FormatExpiry(m.expiresAt)
			m.expires = js
			return err == nil
		})},
	{"expiry left out", "The hash was computed over the user id alone, but an expiry is given: either sign the user id followed by the exact expiry text, or send no expiry.",
		editExpiry(func(m *message) bool { m.expires, m.expiresAt = "", time.Time{}; return true })},
}

// edit is a mistake in the identity, composed by the scheme's own rule:
// change edits the identity, or returns false when the mistake does not
// apply to it.
func edit(change func(*message) bool) func(target, message) (usersig.MessageRule, []message) {
	return func(t target, m message) (usersig.MessageRule, []message) {
		return t.rule, only(m, change(&m))
	}
}

// editEach is a mistake with several possible originals, composed by the
// scheme's own rule: variants returns them all (none when it does not
// apply).
func editEach(variants func(message) []message) func(target, message) (usersig.MessageRule, []message) {
	return func(t target, m message) (usersig.MessageRule, []message) {
		return t.rule, variants(m)
	}
}

// underRule is a message composed by rule instead of the scheme's own, from
// the identity as change leaves it. It applies when both fields are given,
// else it is a message the scheme's own rows already try.
func underRule(rule usersig.MessageRule, change func(*message) bool) func(target, message) (usersig.MessageRule, []message) {
	return func(_ target, m message) (usersig.MessageRule, []message) {
		return rule, only(m, m.userID != "" && m.email != "" && change(&m))
	}
}

// editExpiry is an edit of the expiry, for schemes whose signature covers
// it (as Scheme.SignedFields says) when an expiry is given.
func editExpiry(change func(*message) bool) func(target, message) (usersig.MessageRule, []message) {
	return func(t target, m message) (usersig.MessageRule, []message) {
		if m.expires == "" || t.sc.SignedFields(m.identity()).ExpiresAt.IsZero() {
			return t.rule, nil
		}
		return t.rule, only(m, change(&m))
	}
}

func only(m message, ok bool) []message {
	if !ok {
		return nil
	}
	return []message{m}
}

// otherCases returns the variants of the field field points to in the
// letter cases a system on the way commonly gives or takes away: all lower,
// all upper, and words capitalised (see capitalised). With fromLower, it applies only to a field given all in lower
// case (the case was lost on the way, so only guesses can restore it), and
// tries the upper and capitalised forms. Variants equal to the field as
// given are left out.
func otherCases(field func(*message) *string, fromLower bool) func(message) []message {
	return func(m message) []message {
		given := *field(&m)
		if given == "" || strings.ToLower(given) == strings.ToUpper(given) {
			return nil // no letters: no case to get wrong
		}
		if fromLower && given != strings.ToLower(given) {
			return nil
		}
		var out []message
		seen := map[string]bool{given: true}
		// Capitalised: the first word, all but the last (Jane@Example.com),
		// all of them.
		for _, v := range []string{strings.ToLower(given), strings.ToUpper(given), capitalised(given, 1), capitalised(given, words(given)-1), capitalised(given, -1)} {
			if seen[v] {
				continue
			}
			seen[v] = true
			c := m
			*field(&c) = v
			out = append(out, c)
		}
		return out
	}
}

// capitalised upper-cases the first letter of the first n words of s (all
// when n < 0) and lower-cases the rest; words are split at . _ - + @ and
// spaces. jane.doe@example.com gives Jane.doe@example.com for n = 1 and
// Jane.Doe@Example.Com for n < 0.
func capitalised(s string, n int) string {
	b := []byte(strings.ToLower(s))
	start := true
	for i, c := range b {
		if start && 'a' <= c && c <= 'z' && n != 0 {
			b[i] = c - 'a' + 'A'
			n--
		}
		start = isWordBreak(c)
	}
	return string(b)
}

// words counts the words capitalised splits s into.
func words(s string) int {
	n, start := 0, true
	for i := 0; i < len(s); i++ {
		if start && !isWordBreak(s[i]) {
			n++
		}
		start = isWordBreak(s[i])
	}
	return n
}

func isWordBreak(c byte) bool { return strings.IndexByte("._-+@ ", c) >= 0 }
func swap(m *message) bool {
	m.userID, m.email = m.email, m.userID
	return true
}

// reformatNumber writes an integer user id as 123.0, or 123.0 as 123.
func reformatNumber(m *message) bool {
	if isDigits(m.userID) {
		m.userID += ".0"
		return true
	}
	if s, ok := strings.CutSuffix(m.userID, ".0"); ok && isDigits(s) {
		m.userID = s
		return true
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// stampOf is the signing time a timestamped signature carries: the digits
// after its last '-', once surrounding whitespace and quotes are off.
func stampOf(sig string) string {
	sig = strings.Trim(sig, " \t\r\n\"'")
	i := strings.LastIndexByte(sig, '-')
	if i < 0 || !isDigits(sig[i+1:]) {
		return ""
	}
	return sig[i+1:]
}
