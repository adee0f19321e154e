package usertoken

import (
	"fmt"
)

// Stage 2 of verification: the header, and the keys to try.

// wireHeader is the JOSE header fields this package reads.
type wireHeader struct {
	Alg, Kid jsonString
	Crit     jsonString // any crit at all is refused
}

// set stores one member of the header object (names matched exactly).
func (h *wireHeader) set(key, value []byte) {
	switch string(key) {
	case "alg":
		h.Alg.decode(value)
	case "kid":
		h.Kid.decode(value)
	case "crit":
		h.Crit.decode(value)
	}
}

// Header errors (fixed texts: no token content).
var (
	errHeaderNotObject = fmt.Errorf("%w: header is not a JSON object", ErrMalformed)
	errAlg             = fmt.Errorf("%w: algorithm not allowed or missing", ErrBadSignature)
	errCritHeader      = fmt.Errorf("%w: unsupported critical header parameters", ErrWrongClaims)
	errKidHeader       = fmt.Errorf("%w: kid header missing or not the configured key id", ErrWrongClaims)
	errNoKeyForKid     = fmt.Errorf("%w: kid header names none of the verifier's keys", ErrWrongClaims)
)

// selectKeys reads the header segment and returns the keys to try,
// v.keys()[first:last].
//
// The algorithm is the profile's, whatever the header says: a header with
// another alg (none, HS256 against an RS256 key, RS384) is refused here,
// before any key is used. A kid selects the key with that id when the
// Verifier's keys have ids; "kid":"" names no key, exactly like no kid, so
// one token has one meaning however its header spells "no key id".
func (v *Verifier) selectKeys(header string) (first, last int, err error) {
	n := len(v.keys())
	if header == v.plainHeader { // {"alg":<the profile's>,"typ":"JWT"}
		if v.profile.kid != "" {
			return 0, 0, errKidHeader
		}
		return 0, n, nil
	}
	var buf [256]byte
	raw, ok := appendDecoded(buf[:0], header)
	if !ok {
		return 0, 0, errSegmentText
	}
	m, err := newMembers(raw)
	if err != nil {
		return 0, 0, errHeaderNotObject
	}
	var h wireHeader
	for key, value, ok := m.next(); ok; key, value, ok = m.next() {
		h.set(key, value)
	}
	switch {
	case !h.Alg.ok || h.Alg.s != v.profile.alg:
		return 0, 0, errAlg
	case h.Crit.set:
		return 0, 0, errCritHeader
	case !v.haveIDs && v.profile.kid == "":
		return 0, n, nil // keys without ids: the kid header is not read
	case h.Kid.set && !h.Kid.ok:
		return 0, 0, errKidHeader // a kid that is not a string
	}
	kid := h.Kid.s
	if kid == "" {
		if v.profile.kid != "" {
			return 0, 0, errKidHeader
		}
		return 0, n, nil
	}
	for i, k := range v.keys() {
		if k.id == kid {
			return i, i + 1, nil
		}
	}
	if v.profile.kid != "" {
		return 0, 0, errKidHeader
	}
	return 0, 0, errNoKeyForKid
}
