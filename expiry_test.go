package usersig

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFormatExpiry compares with what Node's Date.prototype.toJSON printed
// for the same instants (node -e 'new Date(ms).toJSON()').
func TestFormatExpiry(t *testing.T) {
	node := map[int64]string{
		1795341600000:   "2026-11-22T10:00:00.000Z",
		1893456000500:   "2030-01-01T00:00:00.500Z",
		1804136767089:   "2027-03-04T05:06:07.089Z",
		0:               "1970-01-01T00:00:00.000Z",
		-1:              "1969-12-31T23:59:59.999Z",
		-30641760000000: "0999-01-01T00:00:00.000Z",
		253402300799999: "9999-12-31T23:59:59.999Z",
		-62167219200000: "0000-01-01T00:00:00.000Z",
	}
	for ms, want := range node {
		got, err := FormatExpiry(time.UnixMilli(ms))
		require.NoError(t, err, ms)
		assert.Equal(t, want, got, ms)
	}
	// Node writes these with six-digit years ("+010000-01-01T00:00:00.000Z",
	// "-000001-01-01T00:00:00.001Z"), which are not RFC 3339: refused.
	for _, bad := range []time.Time{{}, time.UnixMilli(253402300800000), time.UnixMilli(-62198755199999),
		time.UnixMilli(8640000000000001), time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := FormatExpiry(bad)
		assert.ErrorIs(t, err, ErrInvalidExpiry, bad)
	}
}

func TestParseExpiry(t *testing.T) {
	for _, text := range []string{
		"2026-11-22T10:00:00.000Z", "2026-11-22T10:00:00.0000000Z", "2026-11-22T10:00:00Z",
		"2026-11-22T11:00:00.000+01:00", "2026-11-22T10:00:00.000000000Z", "2026-11-22T00:00:00-10:00",
	} {
		got, err := ParseExpiry(text)
		require.NoError(t, err, text)
		assert.True(t, got.Equal(expiry), text)
	}
	for _, text := range []string{
		"", "2026-11-22", "2026-11-22T10:00:00", "tomorrow", "0001-01-01T00:00:00Z",
		"2026-11-22T10:00:00.0000000000000000000000000000Z",
		"2026-11-22T10:00:00,000Z",        // RFC 3339 has '.' before the fraction, not ','
		"2026-11-22T10:00:00.Z",           // a '.' needs digits
		"2026-11-22T10:00:00.0000000000Z", // ten digits: more than an instant holds
		"2026-11-22T10:00:00+24:00",       // offset hours are 00-23
		"2026-11-22T10:00:00+05:60",       // offset minutes are 00-59
		"2026-11-22T10:00:00+0500",        // the offset has a colon
		"2026-11-22t10:00:00Z",            // upper-case T only
		"2026-11-22T10:00:00z",            // upper-case Z only
		"2026-11-22 10:00:00Z",            // a space is not a T
		"2026-02-30T10:00:00Z",            // no such day
		"2026-11-22T10:00:60Z",            // no leap seconds
		"9999-12-31T23:00:00-05:00",       // year 10000 in UTC
		"0000-01-01T00:00:00+01:00",       // year -1 in UTC
		"+10000-01-01T00:00:00.000Z",      // JavaScript's expanded year
		" 2026-11-22T10:00:00Z",           // no trimming
		"2026-11-22T10:00:00Z\n",          // no trimming
		"２026-11-22T10:00:00Z",            // ASCII digits only
	} {
		_, err := ParseExpiry(text)
		assert.ErrorIs(t, err, ErrInvalidExpiry, text)
	}
}

// Years past 9999: every path refuses alike, so nothing Sign accepts is
// something Issue cannot hand out or VerifyCredential cannot read back.
func TestExpiryRangeAgrees(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.FixedZone("x", -3600)), // 10000 in UTC
	} {
		_, err := FormatExpiry(at)
		assert.ErrorIs(t, err, ErrInvalidExpiry, "FormatExpiry")
		for _, sc := range []Scheme{ProductFruits(), {Name: "own", Composer: Framed, Encoding: Base64URL}, Intercom()} {
			s, err := New(sc, []byte("0123456789abcdef0123"), WithClock(func() time.Time { return expiry }))
			require.NoError(t, err)
			id := Identity{UserID: "u", ExpiresAt: at}
			_, err = s.Sign(id)
			assert.ErrorIs(t, err, ErrInvalidExpiry, sc.Name+" Sign")
			_, err = s.AppendSign(nil, id)
			assert.ErrorIs(t, err, ErrInvalidExpiry, sc.Name+" AppendSign")
			_, err = s.Issue(id)
			assert.ErrorIs(t, err, ErrInvalidExpiry, sc.Name+" Issue")
			err = s.Verify(id, "AAAA")
			assert.Error(t, err, sc.Name+" Verify")
		}
	}
	// The last instant that has a text round-trips on every path.
	last := time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC)
	for _, sc := range []Scheme{ProductFruits(), {Name: "own", Composer: Framed, Encoding: Base64URL}} {
		s, err := New(sc, []byte("0123456789abcdef0123"), WithClock(func() time.Time { return expiry }))
		require.NoError(t, err)
		c, err := s.Issue(Identity{UserID: "u", ExpiresAt: last})
		require.NoError(t, err, sc.Name)
		assert.NoError(t, s.VerifyCredential(c), sc.Name)
		sig, err := s.Sign(Identity{UserID: "u", ExpiresAt: last})
		require.NoError(t, err)
		assert.Equal(t, c.Signature, sig, sc.Name)
	}
}

// WithExpiryRequired promises that a signature carries an expiry; on a
// scheme that does not sign one it could not keep that promise, so New
// refuses it rather than accept it and do nothing.
func TestExpiryRequiredNeedsASignedExpiry(t *testing.T) {
	secret := []byte("0123456789abcdef0123")
	for _, sc := range Schemes() {
		_, err := New(sc, secret, WithExpiryRequired())
		if sc.Composer == UserIDExpiry {
			assert.NoError(t, err, sc.Name)
			continue
		}
		assert.ErrorIs(t, err, ErrInvalidOption, sc.Name)
	}
	_, err := New(Scheme{Name: "own", Composer: Framed, Encoding: Hex}, secret, WithExpiryRequired())
	assert.NoError(t, err)
	_, err = New(Scheme{Name: "own", Composer: composerFunc(func(dst []byte, id Identity) ([]byte, error) {
		return append(dst, id.UserID...), nil
	}), Encoding: Hex}, secret, WithExpiryRequired())
	assert.ErrorIs(t, err, ErrInvalidOption, "a Composer of your own that ignores the expiry")

	// Before the fix: a signature made without any expiry verified with any
	// expiry the client invented.
	plain, err := New(Intercom(), secret)
	require.NoError(t, err)
	sig, err := plain.Sign(Identity{UserID: "u"})
	require.NoError(t, err)
	assert.NoError(t, plain.Verify(Identity{UserID: "u", ExpiresAt: time.Now().Add(time.Hour)}, sig),
		"Intercom signs no expiry: which is why WithExpiryRequired is refused for it")
}

func TestNilOption(t *testing.T) {
	_, err := New(Intercom(), []byte("0123456789abcdef0123"), nil)
	assert.ErrorIs(t, err, ErrInvalidOption)
}

type composerFunc func(dst []byte, id Identity) ([]byte, error)

func (f composerFunc) AppendMessage(dst []byte, id Identity) ([]byte, error) { return f(dst, id) }

// TestExpiryRequired reproduces the UserIDExpiry ambiguity the vendor format
// has, and shows WithExpiryRequired closing it.
func TestExpiryRequired(t *testing.T) {
	now := WithClock(func() time.Time { return expiry.Add(-time.Hour) })
	lax := newSigner(t, ProductFruits(), rotNew, now)
	strict := newSigner(t, ProductFruits(), rotNew, now, WithExpiryRequired())

	// A user who may pick the id "alice2099-01-01T00:00:00.000Z" gets an
	// expiry-less signature ...
	sig, err := lax.Sign(Identity{UserID: "alice2099-01-01T00:00:00.000Z"})
	require.NoError(t, err)
	// ... which, under the vendor's format, is also alice's until 2099.
	forged := Credential{UserID: "alice", Expires: "2099-01-01T00:00:00.000Z", Signature: sig}
	assert.NoError(t, lax.VerifyCredential(forged), "the format is ambiguous without an expiry")

	_, err = strict.Sign(Identity{UserID: "alice2099-01-01T00:00:00.000Z"})
	assert.ErrorIs(t, err, ErrInvalidExpiry, "a strict signer never makes an expiry-less signature")
	assert.ErrorIs(t, strict.VerifyCredential(Credential{UserID: "alice2099-01-01T00:00:00.000Z", Signature: sig}), ErrInvalidExpiry)
	_, err = strict.Issue(Identity{UserID: "alice"})
	assert.ErrorIs(t, err, ErrInvalidExpiry)
	c, err := strict.Issue(Identity{UserID: "alice", ExpiresAt: expiry})
	require.NoError(t, err)
	assert.NoError(t, strict.VerifyCredential(c))
	// Gluing the expiry onto the id no longer reads as an expiry-less id.
	assert.ErrorIs(t, strict.VerifyCredential(Credential{UserID: "alice" + c.Expires, Signature: c.Signature}), ErrInvalidExpiry)
}
