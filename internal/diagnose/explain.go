package diagnose

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// mistakes returns the names and explanations of c's rows, in table order:
// key, message, text, transport.
func (c combo) mistakes() (names, expls []string) {
	add := func(name, expl string) {
		if name != "" {
			names = append(names, name)
			expls = append(expls, expl)
		}
	}
	add(keyMistakes[c.key].name, keyMistakes[c.key].explanation)
	add(messageMistakes[c.msg].name, messageMistakes[c.msg].explanation)
	add(textMistakes[c.text].name, textMistakes[c.text].explanation)
	if c.transport >= 0 {
		add(transportMistakes[c.transport].name, transportMistakes[c.transport].explanation)
	}
	return names, expls
}

// newMatch is the match for t explained by c, the HMAC computed over msg.
func newMatch(t target, c combo, msg string) Match {
	sc := t.sc
	names, expls := c.mistakes()
	m := Match{Scheme: sc.Name, Vendor: sc.Vendor, Mistakes: names, SignedText: msg, order: t.order, rank: c.rank()}
	about := fmt.Sprintf("%s signs the %s, as %s", sc.Vendor, sc.Describe(), sc.Encoding)
	if len(names) == 0 {
		m.Valid = true
		m.Mistake = "none"
		m.Mistakes = []string{}
		m.Explanation = fmt.Sprintf("the signature is valid for scheme %s: %s; the HMAC was computed over %s.", sc.Name, about, strconv.Quote(msg))
		return m
	}
	m.Mistake = strings.Join(names, ", ")
	m.detail = fmt.Sprintf("%s The HMAC was computed over %s.", strings.Join(expls, " "), strconv.Quote(msg))
	m.Explanation = fmt.Sprintf("scheme %s, %s: %s (%s.)", sc.Name, m.Mistake, m.detail, about)
	return m
}

// noMatchExplanation says what an unexplained signature usually means, with
// what its shape tells. Only a well-formed 32-byte HMAC-SHA256 points to
// the secret or the signed text; a text of another length or alphabet is
// first of all cut short, or another kind of signature.
func noMatchExplanation(sig string) string {
	shape, full := shapeOf(sig)
	var b strings.Builder
	b.WriteString("No scheme and no common mistake explains this signature with this secret and identity. ")
	b.WriteString(shape)
	if !full {
		b.WriteString(" Find what shortened or produced it first; its start matches no HMAC of this identity under this secret either, so check the secret and the signed text once it is whole.")
		return b.String()
	}
	b.WriteString(" " + differentSecret)
	return b.String()
}

// differentSecret is what a well-formed HMAC that nothing explains usually
// means.
const differentSecret = "This usually means it was made with a different secret: the vendor's API key, app id or publishable key instead of the identity-verification secret; another platform's or workspace's secret (Intercom has separate web, iOS and Android secrets; test and production apps differ); or a secret that has since been rotated. Otherwise it was made over a different user id or email than the ones given: check the exact values the backend signed, or a custom scheme not among the presets."

// shapeOf describes what the signature text decodes to, and whether that is
// a full 32-byte HMAC-SHA256.
func shapeOf(sig string) (string, bool) {
	s := strings.TrimSpace(sig)
	if b, err := hex.DecodeString(s); err == nil {
		return describeLen(len(b), "hex"), len(b) == 32
	}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{{"base64", base64.StdEncoding}, {"base64", base64.RawStdEncoding}, {"base64url", base64.RawURLEncoding}, {"base64url", base64.URLEncoding}} {
		if b, err := enc.e.DecodeString(s); err == nil {
			return describeLen(len(b), enc.name), len(b) == 32
		}
	}
	return "The text is neither hex nor base64, so it is not a signature in any form tried.", false
}

func describeLen(n int, enc string) string {
	switch {
	case n == 32:
		return "It is a well-formed 32-byte HMAC-SHA256 in " + enc + ", so the format is right and the key or the signed text differs."
	case n == 20:
		return "It decodes from " + enc + " to 20 bytes: that is SHA-1 (HMAC-SHA1), not HMAC-SHA256, or an HMAC-SHA256 truncated to 20 bytes."
	case n == 64:
		return "It decodes from " + enc + " to 64 bytes: HMAC-SHA512, or the hex text of a SHA-256 encoded again."
	case n < 32:
		return fmt.Sprintf("It is truncated: it decodes from %s to %d bytes, not the 32 of an HMAC-SHA256 (a column, field or variable too small for it, or a copy that lost its end).", enc, n)
	}
	return fmt.Sprintf("It decodes from %s to %d bytes, more than the 32 of an HMAC-SHA256: not this kind of signature, or extra text around it.", enc, n)
}
