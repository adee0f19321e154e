package usersig

import (
	"time"
)

// Identity is who a signature vouches for.
//
// Which fields are signed depends on the Scheme's Composer: most vendors sign
// only the user id or only the email. A zero ExpiresAt means the signature
// does not expire. Verification refuses an identity whose expiry has passed
// whatever the signature, but the expiry is bound to the signature only when
// the composer signs it (UserIDExpiry, Framed): with any other composer a
// client can simply drop it, so do not rely on it for those schemes.
type Identity struct {
	UserID    string
	Email     string
	ExpiresAt time.Time
}

// jsonTimeLayout is JavaScript's Date.prototype.toJSON for years 0 to 9999:
// UTC, exactly three fraction digits, and a literal Z.
const jsonTimeLayout = "2006-01-02T15:04:05.000Z"

// maxExpiryTextLen bounds the expiry text a client may send back. The longest
// RFC 3339 text with nanoseconds and an offset is 35 bytes.
const maxExpiryTextLen = 40

// FormatExpiry returns t as JavaScript's Date.prototype.toJSON writes it, the
// text Product Fruits' documented Node snippet signs: UTC, exactly three
// fraction digits (sub-millisecond digits are truncated, as a JavaScript Date
// holds milliseconds), for example "2026-11-22T10:00:00.000Z". Years outside
// 0-9999 use JavaScript's expanded form ("+010000-01-01T00:00:00.000Z").
// It returns ErrInvalidExpiry for the zero time and for instants a
// JavaScript Date cannot hold (more than 8.64e15 ms from 1970).
func FormatExpiry(t time.Time) (string, error) {
	var buf [32]byte
	b, err := appendExpiry(buf[:0], t)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// jsDateLimitMillis is the largest distance from the epoch a JavaScript Date
// can hold (ECMA-262, 21.4.1.1: 8.64e15 ms, about 273,790 years).
const jsDateLimitMillis = 8_640_000_000_000_000

func appendExpiry(dst []byte, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return dst, errInvalidExpiry
	}
	t = t.UTC().Truncate(time.Millisecond)
	if t.After(time.UnixMilli(jsDateLimitMillis)) || t.Before(time.UnixMilli(-jsDateLimitMillis)) {
		return dst, errInvalidExpiry
	}
	year := t.Year()
	if year >= 0 && year <= 9999 {
		return t.AppendFormat(dst, jsonTimeLayout), nil
	}
	// ECMA-262 21.4.1.32: expanded years are a sign and six digits.
	sign := byte('+')
	if year < 0 {
		sign, year = '-', -year
	}
	dst = append(dst, sign)
	for div := 100000; div > 0; div /= 10 {
		dst = append(dst, byte('0'+year/div%10))
	}
	return t.AppendFormat(dst, "-01-02T15:04:05.000Z"), nil
}

// ParseExpiry reads an expiry text as a client sends it back: RFC 3339 with
// any number of fraction digits and a zone, such as JavaScript's
// "2026-11-22T10:00:00.000Z" or .NET's ToString("o")
// "2026-11-22T10:00:00.0000000Z". Text longer than 40 bytes is refused before
// it is parsed. Errors wrap ErrInvalidExpiry.
func ParseExpiry(text string) (time.Time, error) {
	if len(text) > maxExpiryTextLen {
		return time.Time{}, &expiryError{reason: "expiry text is longer than 40 bytes"}
	}
	t, err := time.Parse(time.RFC3339Nano, text)
	if err == nil && t.IsZero() {
		// Year 1 is Go's zero time, which means "no expiry" everywhere else.
		return time.Time{}, &expiryError{reason: "expiry text names Go's zero time (year 1)"}
	}
	if err != nil {
		return time.Time{}, &expiryError{reason: "expiry text is not RFC 3339 with a zone, like 2026-11-22T10:00:00.000Z"}
	}
	return t, nil
}

type expiryError struct{ reason string }

func (e *expiryError) Error() string { return "usersig: invalid expiry: " + e.reason }
func (e *expiryError) Unwrap() error { return errInvalidExpiry }
