package usersig

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// This file is the timestamped signature of UserIDTimestamp (Chameleon's
// uid_hash): the message ends in the time of signing, and the signature's
// text carries that time after the MAC, so a verifier can rebuild the
// message and refuse a stale one. The text is strict: the encoding's one
// canonical MAC text, a '-', and canonical decimal Unix seconds, checked
// for length before anything else is read.

// DefaultFreshness is how long after its signing time a UserIDTimestamp
// signature verifies when WithFreshness is not given. Chameleon documents
// that it refuses hashes that are "too old" but not after how long. Its
// samples mint the hash when the page is rendered, and the front end keeps
// it for the life of the tab, so a window shorter than a working day
// breaks tabs left open; a day bounds how long a leaked hash can be
// replayed. Tighten it with WithFreshness where your front end fetches a
// new hash more often.
const DefaultFreshness = 24 * time.Hour

// MaxFreshness bounds WithFreshness: a timestamped hash that verifies for
// more than a month is a long-lived credential, not a freshness check, and
// the bound keeps signing time + freshness + leeway far from overflow.
const MaxFreshness = 30 * 24 * time.Hour

// maxStampDigits bounds the seconds a text may carry. Twelve digits reach
// past the year 9999 (253402300799), the last instant this package names.
const maxStampDigits = 12

// maxStampSecs is the largest signing time a Signer writes or reads.
const maxStampSecs = 999_999_999_999

// maxSignatureTextLen is the longest text a Signer writes: 64 hex digits,
// a '-' and 12 digits of seconds.
const maxSignatureTextLen = 64 + 1 + maxStampDigits

// A stamp is a signing time in Unix seconds.
type stamp struct {
	secs int64
	// text is the canonical digits as a client sent them, which the
	// message signs byte for byte; "" when the Signer stamped its clock.
	text string
	set  bool
}

// stamped lays out c as UserIDTimestamp signs it: the user id, then '-'
// and the seconds, as received or written here.
func (m *message) stamped(c *claim) error {
	if !c.stamp.set {
		return errNoStamp
	}
	m.text[0] = c.UserID
	b := append(m.own[:0], '-')
	if c.stamp.text != "" {
		m.text[1] = c.stamp.text
	} else {
		b = strconv.AppendInt(b, c.stamp.secs, 10)
	}
	n := uint8(len(b))
	m.ends[1], m.ends[2], m.ends[3] = n, n, n
	return nil
}

// stampNow sets c's signing time to the Signer's clock, for signing.
func (s *Signer) stampNow(c *claim) error {
	secs := s.now().Unix()
	if secs < 0 || secs > maxStampSecs {
		return errClockOutOfRange
	}
	c.stamp = stamp{secs: secs, set: true}
	return nil
}

// appendEncoded appends mac in the scheme's encoding and, for a stamped
// claim, the '-' and seconds the message signed.
func (s *Signer) appendEncoded(dst, mac []byte, c *claim) []byte {
	dst = s.scheme.Encoding.AppendEncode(dst, mac)
	if c.stamp.set {
		dst = strconv.AppendInt(append(dst, '-'), c.stamp.secs, 10)
	}
	return dst
}

// decodeSignature reads signature into want as decode does; for a
// UserIDTimestamp Signer it first splits off the signing time, keeps it in
// c for the message, and refuses it outside the freshness window.
func (s *Signer) decodeSignature(want *[macSize]byte, c *claim, signature string) error {
	if s.rule != UserIDTimestamp {
		return s.scheme.Encoding.decode(want, signature)
	}
	enc := s.scheme.Encoding
	n := enc.EncodedLen()
	if len(signature) > n+1 && len(signature) <= n+1+maxStampDigits && signature[n] == '-' {
		digits := signature[n+1:]
		if secs, ok := parseSeconds(digits); ok && enc.decodeCanonical(want, signature[:n]) {
			c.stamp = stamp{secs: secs, text: digits, set: true}
			return s.checkFresh(secs)
		}
	}
	if err := explainStamped(enc, signature); err != nil {
		return err
	}
	return malformed(enc, "is not a MAC, a '-' and Unix seconds") // explainStamped should not let it get here
}

// checkFresh refuses a signing time at or past the freshness window plus
// the leeway (ErrExpired), or after now plus the leeway (ErrIssuedInFuture).
func (s *Signer) checkFresh(secs int64) error {
	at, now := time.Unix(secs, 0), s.now()
	if !now.Before(at.Add(s.freshness + s.leeway)) {
		return errStale
	}
	if at.After(now.Add(s.leeway)) {
		return errIssuedInFuture
	}
	return nil
}

// parseSeconds reads canonical decimal Unix seconds: 1 to 12 digits, no
// sign, no leading zero (but "0" itself).
func parseSeconds(digits string) (int64, bool) {
	if len(digits) == 0 || len(digits) > maxStampDigits || digits[0] == '0' && len(digits) > 1 {
		return 0, false
	}
	var secs int64
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if !isDigit(c) {
			return 0, false
		}
		secs = secs*10 + int64(c-'0')
	}
	return secs, true
}

// stampOf reads the signing time from a timestamped signature's text: the
// digits after its last '-', for tools that compose the message without
// checking the MAC (Scheme.AppendMessage). Errors are explainStamped's.
func stampOf(e Encoding, signature string) (stamp, error) {
	if len(signature) <= maxSignatureLen {
		if i := strings.LastIndexByte(signature, '-'); i >= 0 {
			if secs, ok := parseSeconds(signature[i+1:]); ok {
				return stamp{secs: secs, text: signature[i+1:], set: true}, nil
			}
		}
	}
	if err := explainStamped(e, signature); err != nil {
		return stamp{}, err
	}
	return stamp{}, malformed(e, "is not a MAC, a '-' and Unix seconds")
}

// explainStamped says which rule a timestamped text breaks; like explain,
// it runs only after the fast path refused.
func explainStamped(e Encoding, sig string) error {
	if len(sig) > maxSignatureLen {
		return malformed(e, "is longer than any signature")
	}
	if r := e.findStrayByte(sig); r != "" {
		return malformed(e, r)
	}
	i := strings.LastIndexByte(sig, '-')
	if n := e.EncodedLen(); len(sig) > n && sig[n] == '-' {
		i = n // a base64url MAC may hold a '-' of its own
	}
	if i < 0 {
		return malformed(e, "has no '-' and Unix seconds after the MAC: a timestamped signature is the MAC, a '-', and the seconds it was signed at")
	}
	if err := e.explain(sig[:i]); err != nil {
		return err
	}
	digits := sig[i+1:]
	allDigits := digits != "" && strings.Trim(digits, "0123456789") == ""
	switch {
	case digits == "":
		return malformed(e, "has no seconds after its '-'")
	case !allDigits:
		return malformed(e, "has a timestamp that is not plain decimal digits: Unix seconds carry no sign, point or letters")
	case len(digits) == 13:
		return malformed(e, "has a 13-digit timestamp: milliseconds (Date.now()) where Unix seconds belong")
	case len(digits) > maxStampDigits:
		return malformed(e, "has a timestamp longer than 12 digits")
	case digits[0] == '0':
		return malformed(e, "has a timestamp with a leading zero")
	}
	return nil
}

// fitFreshness applies DefaultFreshness to a UserIDTimestamp scheme, and
// refuses WithFreshness for any other, whose signatures carry no time.
func (cfg *settings) fitFreshness(scheme string, rule MessageRule) error {
	switch {
	case rule == UserIDTimestamp && cfg.freshness == 0:
		cfg.freshness = DefaultFreshness
	case rule != UserIDTimestamp && cfg.freshness != 0:
		return fmt.Errorf("%w: WithFreshness, but the signatures of scheme %q carry no signing time", errInvalidOption, scheme)
	}
	return nil
}
