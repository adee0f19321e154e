package usertoken

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfileNames(t *testing.T) {
	assert.Equal(t, []string{"braze", "drift", "engagespot", "intercom", "knock", "zendesk"}, ProfileNames())
}

func TestProfileByName(t *testing.T) {
	for _, want := range allProfiles() {
		param := ""
		switch want.Name() {
		case "engagespot":
			param = testAPIKey
		case "zendesk":
			param = "app_test_kid"
		}
		got, err := ProfileByName(" "+want.Name()+" ", param)
		require.NoError(t, err, want.Name())
		assert.Equal(t, want, got)
		p, ok := ProfileParam(want.Name())
		assert.True(t, ok)
		assert.Equal(t, param != "", p != "", want.Name())
	}
	got, err := ProfileByName("ENGAGESPOT", "k")
	require.NoError(t, err)
	assert.Equal(t, "engagespot/RS256", got.String())

	for _, c := range []struct{ name, param string }{
		{"nope", ""}, {"", ""}, {"engagespot", ""}, {"zendesk", ""}, {"knock", "unexpected"}, {"drift", "x"},
	} {
		_, err := ProfileByName(c.name, c.param)
		assert.ErrorIs(t, err, ErrInvalidProfile, "%q %q", c.name, c.param)
	}
	_, ok := ProfileParam("nope")
	assert.False(t, ok)
}

func TestProfileTable(t *testing.T) {
	// The table of /work/shared/reference/vendors.md, "JWT user tokens".
	cases := []struct {
		p       Profile
		alg     string
		subject string
		exp     expPolicy
		iat     bool
	}{
		{Engagespot("k"), "RS256", "sub", expRequired, true},
		{Knock(), "RS256", "sub", expRequired, true},
		{Braze(), "RS256", "sub", expRequired, false},
		{Intercom(), "HS256", "user_id", expOptional, false},
		{Zendesk("kid"), "HS256", "external_id", expOptional, false},
		{Drift(), "HS256", "sub", expOptional, false},
	}
	for _, c := range cases {
		assert.Equal(t, c.alg, c.p.Algorithm(), c.p.Name())
		assert.Equal(t, c.subject, c.p.subjectClaim, c.p.Name())
		assert.Equal(t, c.exp, c.p.exp, c.p.Name())
		assert.Equal(t, c.iat, c.p.iat, c.p.Name())
		assert.NotEmpty(t, c.p.Source(), c.p.Name())
		assert.NoError(t, c.p.validate(), c.p.Name())
	}
	assert.Equal(t, "user:", Engagespot("k").subjectPrefix)
	assert.Equal(t, "kid", Zendesk("kid").kid)
}

func TestInvalidProfiles(t *testing.T) {
	k := loadKeys(t)
	for _, p := range []Profile{{}, Engagespot(""), Zendesk("")} {
		_, err := NewIssuer(p, k.rsaPriv)
		assert.ErrorIs(t, err, ErrInvalidProfile)
		_, err = NewVerifier(p, k.rsaPub)
		assert.ErrorIs(t, err, ErrInvalidProfile)
	}
	assert.Equal(t, "invalid profile", Profile{}.String())
	assert.NotContains(t, Engagespot("secret-api-key").String(), "secret-api-key")
}
