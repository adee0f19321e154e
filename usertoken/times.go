package usertoken

import (
	"fmt"
	"time"
)

// Stage 4 of verification: the time claims against the Verifier's clock.

// maxExp is the last second of year 9999: a later time claim is a
// mistake, and a float that large converts to int64 differently across
// platforms (1e19 wraps to a time in the past).
const maxExp = 253402300799

var (
	errExpMissing   = fmt.Errorf("%w: required exp claim missing", ErrWrongClaims)
	errExpired      = fmt.Errorf("%w: exp is in the past", ErrExpired)
	errExpiresPast  = fmt.Errorf("%w: expires is in the past", ErrExpired)
	errNbfFuture    = fmt.Errorf("%w: nbf is in the future", ErrNotYetValid)
	errIatFuture    = fmt.Errorf("%w: iat is in the future", ErrNotYetValid)
	errIatMissing   = fmt.Errorf("%w: iat claim missing or not a number", ErrWrongClaims)
	errExpiresText  = fmt.Errorf("%w: expires is not a \"YYYY-MM-DD HH:MM:SS\" GMT text between 1970 and 9999", ErrWrongClaims)
	errTimeNotNum   = [3]error{timeNotNumber("exp"), timeNotNumber("nbf"), timeNotNumber("iat")}
	errTimeOutRange = [3]error{timeOutOfRange("exp"), timeOutOfRange("nbf"), timeOutOfRange("iat")}
)

func timeNotNumber(name string) error {
	return fmt.Errorf("%w: %s is not a number", ErrWrongClaims, name)
}

func timeOutOfRange(name string) error {
	return fmt.Errorf("%w: %s is not a time between 1970 and 9999", ErrWrongClaims, name)
}

// timeClaim reads numeric time claim n (0 exp, 1 nbf, 2 iat): a present
// claim that is not a number, or not in (0, maxExp], is ErrWrongClaims
// (exp <= 0 is ErrExpired, as a token "expiring" in 1970 always was).
// Fractions of a second are truncated, as golang-jwt does.
func timeClaim(c jsonNumber, n int) (time.Time, error) {
	switch {
	case !c.set:
		return time.Time{}, nil
	case !c.ok:
		return time.Time{}, errTimeNotNum[n]
	case c.f <= 0 && n == 0:
		return time.Time{}, errExpired
	case c.f <= 0 || c.f > maxExp:
		return time.Time{}, errTimeOutRange[n]
	}
	return time.Unix(int64(c.f), 0).UTC(), nil
}

// checkTimes applies the profile's exp and iat rules and the clock: every
// present time claim is range-checked before any is compared. It returns
// the Claims with their times set.
func (v *Verifier) checkTimes(w *wireClaims) (Claims, error) {
	var c Claims
	var err error
	if c.ExpiresAt, err = timeClaim(w.Exp, 0); err != nil {
		return c, err
	}
	if c.NotBefore, err = timeClaim(w.Nbf, 1); err != nil {
		return c, err
	}
	if c.IssuedAt, err = timeClaim(w.Iat, 2); err != nil {
		return c, err
	}
	var expires time.Time
	if v.profile.expiresText && w.Expires.set {
		var ok bool
		if expires, ok = parseExpiresText(w.Expires); !ok {
			return c, errExpiresText
		}
	}
	now := v.clock()
	switch {
	case c.ExpiresAt.IsZero() && v.profile.exp == expRequired:
		return c, errExpMissing
	case !c.ExpiresAt.IsZero() && !now.Before(c.ExpiresAt.Add(v.leeway)):
		return c, errExpired
	case !expires.IsZero() && !now.Before(expires.Add(v.leeway)):
		return c, errExpiresPast
	case !c.NotBefore.IsZero() && now.Add(v.leeway).Before(c.NotBefore):
		return c, errNbfFuture
	case !c.IssuedAt.IsZero() && now.Add(v.leeway).Before(c.IssuedAt):
		return c, errIatFuture
	case c.IssuedAt.IsZero() && v.profile.iat:
		return c, errIatMissing
	}
	if c.ExpiresAt.IsZero() || (!expires.IsZero() && expires.Before(c.ExpiresAt)) {
		c.ExpiresAt = expires // the earlier of the two bounds the token
	}
	return c, nil
}

// expiresLayout is UserVoice's expires form, in GMT.
const expiresLayout = "2006-01-02 15:04:05"

// parseExpiresText reads UserVoice's expires claim: exactly
// "YYYY-MM-DD HH:MM:SS" (two digits everywhere: time.Parse alone would
// also take a one-digit hour), a real date, in 1970..9999.
func parseExpiresText(c jsonString) (time.Time, bool) {
	s := c.s
	if !c.ok || len(s) != len(expiresLayout) {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if d := expiresLayout[i]; '0' <= d && d <= '9' {
			if s[i] < '0' || s[i] > '9' {
				return time.Time{}, false
			}
		} else if s[i] != d {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(expiresLayout, s)
	if err != nil || t.Unix() <= 0 {
		return time.Time{}, false
	}
	return t, true
}
