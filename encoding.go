package usersig

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// An Encoding is how the 32-byte HMAC-SHA256 travels as text. Verification
// accepts exactly one text per MAC: the canonical form below.
type Encoding uint8

const (
	// Base64 is standard base64 with padding: 44 characters, what Node's
	// digest('base64'), Python's base64.b64encode and Java's
	// Base64.getEncoder give.
	Base64 Encoding = iota + 1

	// Base64URL is the URL-safe alphabet without padding: 43 characters.
	Base64URL

	// Hex is lowercase hexadecimal: 64 characters, what Node's
	// digest('hex') and Python's hexdigest give.
	Hex
)

// macSize is the length of an HMAC-SHA256 tag. Only full tags are accepted.
const macSize = 32

// String returns the encoding's name: "base64", "base64url" or "hex".
func (e Encoding) String() string {
	switch e {
	case Base64:
		return "base64"
	case Base64URL:
		return "base64url"
	case Hex:
		return "hex"
	}
	return "invalid"
}

// EncodedLen is the length of a signature's text in this encoding, or 0 for
// an invalid Encoding.
func (e Encoding) EncodedLen() int {
	switch e {
	case Base64:
		return 44
	case Base64URL:
		return 43
	case Hex:
		return 64
	}
	return 0
}

func (e Encoding) valid() bool { return e.EncodedLen() != 0 }

// AppendEncode appends the canonical text of mac in this encoding to dst.
// An invalid Encoding writes hex.
func (e Encoding) AppendEncode(dst []byte, mac []byte) []byte {
	switch e {
	case Base64:
		return base64.StdEncoding.AppendEncode(dst, mac)
	case Base64URL:
		return base64.RawURLEncoding.AppendEncode(dst, mac)
	default:
		return hex.AppendEncode(dst, mac)
	}
}

// decode reads sig into mac if, and only if, sig is the canonical text of a
// 32-byte tag in this encoding. It never allocates on success and its
// refusals name the rule broken, never the text.
func (e Encoding) decode(mac *[macSize]byte, sig string) error {
	if e.decodeCanonical(mac, sig) {
		return nil
	}
	if err := e.explain(sig); err != nil {
		return err
	}
	return malformed(e, "is not canonical") // explain is the slow twin of decodeCanonical; it should not get here
}

// decodeCanonical is the fast path: one pass through a table, true only for
// the one canonical text of a 32-byte tag.
func (e Encoding) decodeCanonical(mac *[macSize]byte, sig string) bool {
	switch e {
	case Hex:
		if len(sig) != 64 {
			return false
		}
		var bad byte
		for i := range mac {
			hi, lo := lowerHexValues[sig[2*i]], lowerHexValues[sig[2*i+1]]
			bad |= hi | lo
			mac[i] = hi<<4 | lo
		}
		return bad&0x80 == 0
	case Base64:
		if len(sig) != 44 || sig[43] != '=' {
			return false
		}
		return decodeBase64Table(mac, sig[:43], stdBase64Values)
	case Base64URL:
		if len(sig) != 43 {
			return false
		}
		return decodeBase64Table(mac, sig, urlBase64Values)
	}
	return false
}

// decodeBase64Table decodes 43 characters: ten groups of four give 30 bytes,
// the last three give 2 and two bits that must be zero.
func decodeBase64Table(mac *[macSize]byte, body string, values string) bool {
	var bad byte
	for g := 0; g < 10; g++ {
		a, b, c, d := values[body[4*g]], values[body[4*g+1]], values[body[4*g+2]], values[body[4*g+3]]
		bad |= a | b | c | d
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		mac[3*g], mac[3*g+1], mac[3*g+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	a, b, c := values[body[40]], values[body[41]], values[body[42]]
	bad |= a | b | c
	v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6
	mac[30], mac[31] = byte(v>>16), byte(v>>8)
	return bad&0x80 == 0 && c&3 == 0
}

// explain finds which rule a non-canonical text breaks. It runs only after
// the fast path refused, so its cost does not matter.
func (e Encoding) explain(sig string) error {
	if !e.valid() {
		return malformed(e, "cannot be checked: the Encoding is not one this package knows")
	}
	if len(sig) > maxSignatureLen {
		return malformed(e, "is longer than any signature")
	}
	if r := e.findStrayByte(sig); r != "" {
		return malformed(e, r)
	}
	if e == Hex {
		return explainHex(sig)
	}
	return e.explainBase64(sig)
}

// maxSignatureLen bounds what decode looks at; every accepted text is shorter.
const maxSignatureLen = 256

// findStrayByte reports bytes that no encoding here ever contains, with the
// usual reason they got there.
func (e Encoding) findStrayByte(sig string) string {
	for i := 0; i < len(sig); i++ {
		switch c := sig[i]; {
		case c == '\r' || c == '\n':
			return "contains a line break (CR or LF): send the text on one line"
		case c == ' ' || c == '\t':
			if e == Base64 && c == ' ' {
				return "contains a space: a '+' was probably decoded as a space in a URL; escape it or use base64url"
			}
			return "contains whitespace: trim it before sending"
		case c < 0x20 || c >= 0x7f:
			return "contains a byte outside printable ASCII"
		}
	}
	return ""
}

func explainHex(sig string) error {
	if len(sig) >= 2 && sig[0] == '0' && (sig[1] == 'x' || sig[1] == 'X') {
		return malformed(Hex, "has a 0x prefix: send the 64 hex digits alone")
	}
	upper := false
	for i := 0; i < len(sig); i++ {
		c := sig[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			upper = true
		default:
			if c == '+' || c == '/' || c == '=' || c == '-' || c == '_' || ('g' <= c && c <= 'z') || ('G' <= c && c <= 'Z') {
				return malformed(Hex, "contains non-hex characters: it looks like base64, but this scheme wants lowercase hex")
			}
			return malformed(Hex, "contains a character that is not a hex digit")
		}
	}
	if upper {
		return malformed(Hex, "has upper-case hex digits: this scheme compares lowercase hex")
	}
	if len(sig) != 64 {
		return malformed(Hex, lengthReason(len(sig), 64))
	}
	return nil
}

func lengthReason(got, want int) string {
	switch {
	case got == 0:
		return "is empty"
	case got < want:
		return "is too short for a full 32-byte HMAC-SHA256 (truncated?)"
	default:
		return "is too long for a 32-byte HMAC-SHA256"
	}
}

func (e Encoding) explainBase64(sig string) error {
	urlAlphabet := e == Base64URL
	for i := 0; i < len(sig); i++ {
		c := sig[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		case c == '=':
			if urlAlphabet {
				return malformed(e, "has '=' padding: base64url here is unpadded")
			}
		case c == '+' || c == '/':
			if urlAlphabet {
				return malformed(e, "uses the standard base64 alphabet ('+' or '/'): this scheme wants base64url ('-' and '_')")
			}
		case c == '-' || c == '_':
			if !urlAlphabet {
				return malformed(e, "uses the base64url alphabet ('-' or '_'): this scheme wants standard base64 ('+' and '/')")
			}
		default:
			return malformed(e, "contains a character outside the base64 alphabet")
		}
	}
	if !urlAlphabet {
		if pad := countTrailing(sig, '='); pad != 1 {
			if len(sig)-pad == 43 {
				if pad == 0 {
					return malformed(e, "is missing its '=' padding")
				}
				return malformed(e, "has extra '=' padding")
			}
		}
	}
	want := e.EncodedLen()
	if len(sig) != want {
		return malformed(e, lengthReason(len(sig), want))
	}
	body := sig[:43]
	if countTrailing(sig, '=') != len(sig)-43 || strings.IndexByte(body, '=') >= 0 {
		return malformed(e, "has '=' in the middle")
	}
	// 43 characters carry 258 bits; the last two must be zero, or several
	// texts would decode to the same tag.
	values := stdBase64Values
	if urlAlphabet {
		values = urlBase64Values
	}
	if values[body[42]]&3 != 0 {
		return malformed(e, "has non-zero trailing bits: it is not the canonical text of any tag")
	}
	return nil
}

func countTrailing(s string, c byte) int {
	n := 0
	for n < len(s) && s[len(s)-1-n] == c {
		n++
	}
	return n
}
