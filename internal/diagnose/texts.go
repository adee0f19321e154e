package diagnose

import (
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"

	"github.com/usersig/usersig"
)

// A textMistake is a way the signature's text differs from the scheme's
// canonical text of the right MAC: render writes the MAC as the mistaken
// text ("" when it does not apply). It applies to schemes whose encoding is
// in from (all when nil). A row with no render is matched by the search
// itself (truncatedRow).
type textMistake struct {
	name, explanation string
	from              []usersig.Encoding
	render            func(mac []byte, enc usersig.Encoding) string
}

func (m textMistake) appliesTo(enc usersig.Encoding) bool {
	return m.from == nil || slices.Contains(m.from, enc)
}

var (
	base64Encodings = []usersig.Encoding{usersig.Base64, usersig.Base64URL}
	hexEncoding     = []usersig.Encoding{usersig.Hex}
)

// textMistakes starts with "no mistake": the scheme's own encoding. Order
// breaks ties: earlier rows are the more common mistakes. To add a
// mistake, add a row.
var textMistakes = []textMistake{
	{"", "", nil, canonical},
	{"upper-case hex", "The signature is the right HMAC in upper-case hex, but this scheme compares lowercase hex exactly: lower-case it (Node's digest('hex'), Python's hexdigest() and PHP's hash_hmac give lowercase; .NET's Convert.ToHexString gives upper case).", hexEncoding, upperHex},
	{"missing '=' padding", "The signature is the right HMAC in base64 but lost its trailing '=' padding (stripped on the way, or made with an unpadded encoder); this scheme expects the 44-character padded text.", []usersig.Encoding{usersig.Base64}, with(base64.RawStdEncoding)},
	{"'+' turned into a space", "The signature is the right HMAC in base64, but each '+' became a space: it went through a URL or form without escaping. URL-encode it (encodeURIComponent) or send it in a header or a JSON body.", []usersig.Encoding{usersig.Base64}, plusAsSpace},
	{"hex instead of base64", "The signature is the right HMAC written as hex, but this scheme expects base64: encode the 32 raw MAC bytes as base64 (Node: digest('base64'); Python: base64.b64encode(h.digest())).", base64Encodings, lowerHex},
	{"upper-case hex instead of base64", "The signature is the right HMAC written as upper-case hex, but this scheme expects base64: encode the 32 raw MAC bytes as base64.", base64Encodings, upperHex},
	{"base64 instead of hex", "The signature is the right HMAC written as base64, but this scheme expects lowercase hex (Node: digest('hex'); Python: hexdigest()).", hexEncoding, with(base64.StdEncoding)},
	{"base64url instead of hex", "The signature is the right HMAC written as base64url, but this scheme expects lowercase hex (Node: digest('hex'); Python: hexdigest()).", hexEncoding, with(base64.RawURLEncoding)},
	{"base64 instead of base64url", "The signature is the right HMAC in standard base64 ('+', '/', '=' padding), but this scheme expects unpadded base64url ('-', '_').", []usersig.Encoding{usersig.Base64URL}, with(base64.StdEncoding)},
	{"base64url instead of base64", "The signature is the right HMAC in base64url ('-', '_', no padding), but this scheme expects standard base64 ('+', '/', '=' padding).", []usersig.Encoding{usersig.Base64}, with(base64.RawURLEncoding)},
	{"base64 of the hex digest", "The signature is the base64 of the hex text of the right HMAC (PHP's base64_encode(hash_hmac(...)) without the raw-output flag, or Buffer.from(hex)): encode the 32 raw MAC bytes, not the hex text.", nil, base64OfHex},
	{"hex without zero padding", "The signature is hand-rolled hex that drops each byte's leading zero (0x0a written as \"a\"): format each byte with two digits (%02x), or use the platform's hex encoder.", hexEncoding, unpaddedHex},
	{"hex as a number", "The signature is the right HMAC as hex with its leading zeros dropped, as a big-integer conversion writes it (Java's new BigInteger(1, mac).toString(16)): pad it to 64 digits.", hexEncoding, hexNumber},
	{"hex with hyphens", "The signature is .NET's BitConverter.ToString(mac): upper-case hex pairs joined by hyphens. Use Convert.ToHexString(mac).ToLowerInvariant() for hex or Convert.ToBase64String(mac) for base64.", nil, bitConverter},
	truncatedRow: {"truncated", "The signature is the beginning of the right HMAC's text, cut short: a database column, form field or variable too small for it, or a copy that lost its end. Store and send the whole text (64 characters of hex, 44 of base64, 43 of base64url).", nil, nil},
}

// truncatedRow is the text row of a signature that is a proper prefix of
// the scheme's canonical text of the right MAC, at least minTruncated
// characters long (shorter prefixes could match by chance).
const (
	truncatedRow = 14
	minTruncated = 8
)

// truncated reports whether cand is the canonical text cut short.
func truncated(canonical, cand string) bool {
	return len(cand) >= minTruncated && len(cand) < len(canonical) && strings.HasPrefix(canonical, cand)
}

// canonical is the scheme's own text of mac, written by the core.
func canonical(mac []byte, enc usersig.Encoding) string {
	return string(enc.AppendEncode(nil, mac))
}

func with(b64 *base64.Encoding) func([]byte, usersig.Encoding) string {
	return func(mac []byte, _ usersig.Encoding) string { return b64.EncodeToString(mac) }
}

func lowerHex(mac []byte, _ usersig.Encoding) string { return hex.EncodeToString(mac) }

func upperHex(mac []byte, _ usersig.Encoding) string {
	return strings.ToUpper(hex.EncodeToString(mac))
}

func plusAsSpace(mac []byte, _ usersig.Encoding) string {
	s := base64.StdEncoding.EncodeToString(mac)
	if !strings.Contains(s, "+") {
		return ""
	}
	return strings.ReplaceAll(s, "+", " ")
}

func base64OfHex(mac []byte, _ usersig.Encoding) string {
	return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(mac)))
}

func unpaddedHex(mac []byte, _ usersig.Encoding) string {
	var b strings.Builder
	for _, c := range mac {
		b.WriteString(strconv.FormatUint(uint64(c), 16))
	}
	return b.String()
}

func hexNumber(mac []byte, _ usersig.Encoding) string {
	return strings.TrimLeft(hex.EncodeToString(mac), "0")
}

func bitConverter(mac []byte, _ usersig.Encoding) string {
	h := upperHex(mac, 0)
	var b strings.Builder
	for i := 0; i < len(h); i += 2 {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(h[i : i+2])
	}
	return b.String()
}
