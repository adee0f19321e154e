package usertoken

import (
	"fmt"
	"strings"
)

// Stage 1 of verification: size and shape. Nothing is decoded before the
// token is known to be at most MaxTokenSize bytes of the base64url alphabet
// in three dot-separated segments.

// jwsParts is a token split into its parts, each still base64url text.
type jwsParts struct {
	header, payload, signature string
	signingInput               string // header + "." + payload: what is signed
}

var (
	errTokenAlphabet = fmt.Errorf("%w: a byte outside base64url and '.' (whitespace, padding, the standard alphabet)", ErrMalformed)
	errSegments      = fmt.Errorf("%w: not a compact JWS of three segments", ErrMalformed)
	errSegmentText   = fmt.Errorf("%w: not a compact JWS of canonical base64url JSON segments", ErrMalformed)
)

// splitToken bounds and splits token.
func splitToken(token string) (jwsParts, error) {
	if len(token) > MaxTokenSize {
		return jwsParts{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTokenTooLarge, len(token), MaxTokenSize)
	}
	if !isCompactJWSText(token) {
		return jwsParts{}, errTokenAlphabet
	}
	h, rest, ok1 := strings.Cut(token, ".")
	p, sig, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.IndexByte(sig, '.') >= 0 {
		return jwsParts{}, errSegments
	}
	return jwsParts{header: h, payload: p, signature: sig, signingInput: token[:len(h)+1+len(p)]}, nil
}

// isCompactJWSText reports whether token holds only the base64url alphabet
// and dots. Go's base64 decoder skips CR and LF even in strict mode, so
// without this one token would have many accepted spellings (a trailing
// newline, a line break in the signature), defeating any cache or denylist
// keyed on the token text.
func isCompactJWSText(token string) bool {
	t := &jwsText
	var bad byte
	for len(token) >= 8 { // eight lookups a turn: this runs on every byte of every token
		bad |= t[token[0]] | t[token[1]] | t[token[2]] | t[token[3]] |
			t[token[4]] | t[token[5]] | t[token[6]] | t[token[7]]
		token = token[8:]
	}
	for i := 0; i < len(token); i++ {
		bad |= t[token[i]]
	}
	return bad == 0
}

// jwsText is 0 for the bytes of a compact JWS (base64url and '.'), 1 for
// any other.
var jwsText = func() (t [256]byte) {
	for i := range t {
		if b64Values[i] == 0xff && i != '.' {
			t[i] = 1
		}
	}
	return t
}()

// b64Values maps a base64url character to its 6-bit value, 0xff for any
// other byte.
var b64Values = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// appendDecoded appends the bytes of seg, unpadded base64url, to dst. It
// is strict: a length that no byte string encodes to, or non-zero trailing
// bits, is refused, so each byte string has exactly one accepted text (what
// base64.RawURLEncoding.Strict() accepts). It reads the string itself, so
// decoding costs no copy of the text.
func appendDecoded(dst []byte, seg string) ([]byte, bool) {
	if len(seg)%4 == 1 {
		return dst, false
	}
	var bad, tail byte // bad has 0x80 set by any byte outside the alphabet
	for len(seg) >= 4 {
		a, b, c, d := b64Values[seg[0]], b64Values[seg[1]], b64Values[seg[2]], b64Values[seg[3]]
		bad |= a | b | c | d
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst = append(dst, byte(v>>16), byte(v>>8), byte(v))
		seg = seg[4:]
	}
	switch len(seg) {
	case 2:
		a, b := b64Values[seg[0]], b64Values[seg[1]]
		bad |= a | b
		tail = b & 0x0f // bits past the last byte must be zero
		dst = append(dst, a<<2|b>>4)
	case 3:
		a, b, c := b64Values[seg[0]], b64Values[seg[1]], b64Values[seg[2]]
		bad |= a | b | c
		tail = c & 0x03
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6
		dst = append(dst, byte(v>>16), byte(v>>8))
	}
	return dst, bad&0x80 == 0 && tail == 0
}
