package usersig

import "time"

// jsonTimeLayout is JavaScript's Date.prototype.toJSON for years 0 to 9999:
// UTC, exactly three fraction digits, and a literal Z.
const jsonTimeLayout = "2006-01-02T15:04:05.000Z"

// maxExpiryTextLen bounds the expiry text a client may send back. The longest
// text ParseExpiry reads (nine fraction digits and an offset) is 35 bytes.
const maxExpiryTextLen = 40

// The instants an expiry may name: the years 0000 to 9999 in UTC, the range
// RFC 3339's four-digit year (and so ParseExpiry) can express. Keeping every
// path to this range is what makes Sign, FormatExpiry, Issue and
// VerifyCredential agree on which expiries exist.
var (
	minExpiry = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
	maxExpiry = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
)

// checkExpiryRange refuses a non-zero t outside the years 0000-9999 UTC.
func checkExpiryRange(t time.Time) error {
	if t.Before(minExpiry) || !t.Before(maxExpiry) {
		return invalidExpiry("outside the years 0000-9999, which RFC 3339 text cannot hold")
	}
	return nil
}

// FormatExpiry returns t as JavaScript's Date.prototype.toJSON writes it, the
// text Product Fruits' documented Node snippet signs: UTC, exactly three
// fraction digits (sub-millisecond digits are truncated, as a JavaScript Date
// holds milliseconds), for example "2026-11-22T10:00:00.000Z".
//
// It returns ErrInvalidExpiry for the zero time and for instants outside the
// years 0000-9999 UTC. (JavaScript writes those with a six-digit year that
// is not RFC 3339; no signature in this package may name them, so that
// whatever Issue hands out, VerifyCredential reads back.)
func FormatExpiry(t time.Time) (string, error) {
	var buf [len(jsonTimeLayout)]byte
	b, err := appendExpiry(buf[:0], t)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

func appendExpiry(dst []byte, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return dst, invalidExpiry("the zero time means no expiry")
	}
	if err := checkExpiryRange(t); err != nil {
		return dst, err
	}
	return t.UTC().AppendFormat(dst, jsonTimeLayout), nil
}

// ParseExpiry reads an expiry text as a client sends it back: RFC 3339, as
// JavaScript's toJSON ("2026-11-22T10:00:00.000Z") or .NET's ToString("o")
// ("2026-11-22T10:00:00.0000000Z") write it. Exactly:
//
//	YYYY-MM-DD "T" hh:mm:ss [ "." 1 to 9 digits ] ( "Z" | ("+"|"-") hh:mm )
//
// with an upper-case T and Z, a '.' (not ',') before the fraction, offset
// hours 00-23 and minutes 00-59, a real calendar date, no leap second, and an
// instant within the years 0000-9999 UTC. Text longer than 40 bytes is
// refused before it is parsed. Errors wrap ErrInvalidExpiry and never quote
// the text.
func ParseExpiry(text string) (time.Time, error) {
	if len(text) > maxExpiryTextLen {
		return time.Time{}, invalidExpiry("expiry text is longer than 40 bytes")
	}
	if !isRFC3339(text) {
		return time.Time{}, invalidExpiry("expiry text is not RFC 3339 with a zone, like 2026-11-22T10:00:00.000Z")
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err != nil {
		return time.Time{}, invalidExpiry("expiry text names no real instant (day, hour or second out of range)")
	}
	if t.IsZero() {
		// Year 1 is Go's zero time, which means "no expiry" everywhere else.
		return time.Time{}, invalidExpiry("expiry text names Go's zero time (year 1)")
	}
	if err := checkExpiryRange(t); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

// isRFC3339 checks the shape time.Parse is too lenient about: it takes ','
// before the fraction, any number of fraction digits and offsets up to 24
// hours. Value ranges of the date and time are left to time.Parse.
func isRFC3339(s string) bool {
	const shape = "dddd-dd-ddTdd:dd:dd"
	if len(s) < len(shape)+1 || !matchShape(s[:len(shape)], shape) {
		return false
	}
	rest := s[len(shape):]
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		if n == 1 || n > 10 {
			return false
		}
		rest = rest[n:]
	}
	switch {
	case rest == "Z":
		return true
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && matchShape(rest[1:], "dd:dd"):
		return rest[1:3] <= "23" && rest[4:6] <= "59"
	}
	return false
}

// matchShape reports whether s has a digit wherever shape has 'd' and the
// same byte elsewhere.
func matchShape(s, shape string) bool {
	if len(s) != len(shape) {
		return false
	}
	for i := 0; i < len(shape); i++ {
		if shape[i] == 'd' {
			if !isDigit(s[i]) {
				return false
			}
		} else if s[i] != shape[i] {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
