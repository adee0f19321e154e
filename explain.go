package usersig

import "strings"

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
