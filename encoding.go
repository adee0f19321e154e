package usersig

import (
	"encoding/base64"
	"encoding/hex"
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
