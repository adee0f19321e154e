package usersig

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var expiry = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestMessageRules(t *testing.T) {
	both := Identity{UserID: "42", Email: "user@example.com"}
	tests := []struct {
		rule MessageRule
		id   Identity
		want string
	}{
		{UserID, both, "42"},
		{UserID, Identity{UserID: "José 👩‍💻"}, "José 👩‍💻"},
		{Email, both, "user@example.com"},
		{Email, Identity{Email: " Jane.Doe+x@Example.COM "}, " Jane.Doe+x@Example.COM "}, // never normalised
		{UserIDOrEmail, both, "42"},
		{UserIDOrEmail, Identity{Email: "a@b"}, "a@b"},
		{UserIDEmail, both, "42user@example.com"},
		{UserIDEmail, Identity{UserID: "42"}, "42"},
		{UserIDEmail, Identity{Email: "a@b"}, "a@b"},
		{UserIDExpiry, Identity{UserID: "testUser"}, "testUser"},
		{UserIDExpiry, Identity{UserID: "testUser", ExpiresAt: expiry}, "testUser2026-11-22T10:00:00.000Z"},
		{UserIDExpiry, Identity{UserID: "u", ExpiresAt: expiry.Add(1500 * time.Microsecond).In(time.FixedZone("x", 3600))}, "u2026-11-22T10:00:00.001Z"},
	}
	for _, tc := range tests {
		got, err := tc.rule.AppendMessage([]byte("prefix:"), tc.id)
		require.NoError(t, err, "%v %+v", tc.rule, tc.id)
		assert.Equal(t, "prefix:"+tc.want, string(got), "%v %+v", tc.rule, tc.id)
	}
}

func TestMessageRulesMissingIdentity(t *testing.T) {
	tests := []struct {
		rule MessageRule
		id   Identity
	}{
		{UserID, Identity{Email: "a@b"}},
		{Email, Identity{UserID: "42"}},
		{UserIDOrEmail, Identity{ExpiresAt: expiry}},
		{UserIDEmail, Identity{}},
		{UserIDExpiry, Identity{Email: "a@b", ExpiresAt: expiry}},
		{Framed, Identity{ExpiresAt: expiry}},
	}
	for _, tc := range tests {
		_, err := tc.rule.AppendMessage(nil, tc.id)
		assert.ErrorIs(t, err, ErrMissingIdentity, "%v", tc.rule)
	}
	_, err := MessageRule(0).AppendMessage(nil, Identity{UserID: "x"})
	assert.ErrorIs(t, err, ErrInvalidScheme)
}

// TestUserIDEmailIsAmbiguous records the collision the Helpshift format has
// (the pair from testdata/derived_encoding_malleability_go.json) and that
// Framed does not.
func TestUserIDEmailIsAmbiguous(t *testing.T) {
	a := Identity{UserID: "ab", Email: "c@x"}
	b := Identity{UserID: "abc", Email: "@x"}
	ma, _ := UserIDEmail.AppendMessage(nil, a)
	mb, _ := UserIDEmail.AppendMessage(nil, b)
	assert.Equal(t, ma, mb)
	fa, _ := Framed.AppendMessage(nil, a)
	fb, _ := Framed.AppendMessage(nil, b)
	assert.NotEqual(t, fa, fb)
}

func TestFramedLayout(t *testing.T) {
	got, err := Framed.AppendMessage(nil, Identity{UserID: "ab", Email: "c", ExpiresAt: time.Unix(256, 7)})
	require.NoError(t, err)
	want := "usersig/framed/v1\x00" +
		"\x00\x00\x00\x00\x00\x00\x00\x02ab" +
		"\x00\x00\x00\x00\x00\x00\x00\x01c" +
		"\x01\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x07"
	assert.Equal(t, want, string(got))

	noExpiry, err := Framed.AppendMessage(nil, Identity{Email: "c"})
	require.NoError(t, err)
	assert.Equal(t, "usersig/framed/v1\x00"+"\x00\x00\x00\x00\x00\x00\x00\x00"+"\x00\x00\x00\x00\x00\x00\x00\x01c"+"\x00", string(noExpiry))
}

// TestFormatExpiry compares with what Node's Date.prototype.toJSON printed
// for the same instants (node -e 'new Date(ms).toJSON()').
func TestFormatExpiry(t *testing.T) {
	node := map[int64]string{
		1795341600000:     "2026-11-22T10:00:00.000Z",
		1893456000500:     "2030-01-01T00:00:00.500Z",
		1804136767089:     "2027-03-04T05:06:07.089Z",
		253402300800000:   "+010000-01-01T00:00:00.000Z",
		-62198755199999:   "-000001-01-01T00:00:00.001Z",
		0:                 "1970-01-01T00:00:00.000Z",
		-1:                "1969-12-31T23:59:59.999Z",
		8640000000000000:  "+275760-09-13T00:00:00.000Z",
		-8640000000000000: "-271821-04-20T00:00:00.000Z",
		-30641760000000:   "0999-01-01T00:00:00.000Z",
	}
	for ms, want := range node {
		got, err := FormatExpiry(time.UnixMilli(ms))
		require.NoError(t, err, ms)
		assert.Equal(t, want, got, ms)
	}
	for _, bad := range []time.Time{{}, time.UnixMilli(8640000000000001), time.UnixMilli(-8640000000000001), time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := FormatExpiry(bad)
		assert.ErrorIs(t, err, ErrInvalidExpiry, bad)
	}
}

func TestParseExpiry(t *testing.T) {
	for _, text := range []string{"2026-11-22T10:00:00.000Z", "2026-11-22T10:00:00.0000000Z", "2026-11-22T10:00:00Z", "2026-11-22T11:00:00.000+01:00"} {
		got, err := ParseExpiry(text)
		require.NoError(t, err, text)
		assert.True(t, got.Equal(expiry), text)
	}
	for _, text := range []string{"", "2026-11-22", "2026-11-22T10:00:00", "tomorrow", "0001-01-01T00:00:00Z", "2026-11-22T10:00:00.0000000000000000000000000000Z"} {
		_, err := ParseExpiry(text)
		assert.ErrorIs(t, err, ErrInvalidExpiry, text)
	}
}
