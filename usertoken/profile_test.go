package usertoken

import (
	"strings"
	"testing"

	"github.com/usersig/usersig"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestProfileNames(t *testing.T) {
	assert.Equal(t, []string{"braze", "drift", "engagespot", "intercom", "knock", "magicbell",
		"nolt", "onesignal", "streamchat", "suprsend", "talkjs", "userback", "usertour", "uservoice", "zendesk"}, ProfileNames())
}

func TestProfileByName(t *testing.T) {
	for _, want := range allProfiles() {
		param := profileParamValue(want)
		got, err := ProfileByName(strings.ToUpper(want.Name()), param)
		require.NoError(t, err, want.Name())
		assert.Equal(t, want, got)
		p, ok := ProfileParam(strings.ToUpper(want.Name()[:1]) + want.Name()[1:])
		assert.True(t, ok)
		if want.Name() != "suprsend" {
			assert.Equal(t, param != "", p != "", want.Name())
		}
	}
	got, err := ProfileByName("ENGAGESPOT", "k")
	require.NoError(t, err)
	assert.Equal(t, "engagespot/RS256", got.String())

	for _, c := range []struct{ name, param string }{
		{"nope", ""}, {"", ""}, {"engagespot", ""}, {"zendesk", ""}, {"knock", "unexpected"}, {"drift", "x"},
		{"talkjs", ""}, {"onesignal", ""}, {"magicbell", ""}, {"streamchat", "x"},
		// Matched like usersig.LookupScheme: case-insensitive, never trimmed.
		{" engagespot ", "k"}, {"intercom\n", ""},
	} {
		_, err := ProfileByName(c.name, c.param)
		assert.ErrorIs(t, err, ErrInvalidProfile, "%q %q", c.name, c.param)
	}
	_, ok := ProfileParam("nope")
	assert.False(t, ok)
}

// TestProfileNamesMatchLikeSchemes: one name rule in both packages.
func TestProfileNamesMatchLikeSchemes(t *testing.T) {
	for _, name := range []string{"Intercom", "INTERCOM", "intercom", " intercom", "intercom ", "MagicBell", "ENGAGESPOT", "nope"} {
		_, schemeOK := usersig.LookupScheme(name)
		param, _ := ProfileParam(name)
		_, err := ProfileByName(name, param)
		assert.Equal(t, schemeOK, err == nil, "%q", name)
	}
}

// profileParamValue returns the parameter allProfiles built p with.
func profileParamValue(p Profile) string {
	for _, f := range p.fixed {
		if !f.ifPresent && (f.name == "apiKey" || f.name == "api_key" || f.name == "iss" || f.name == "tenant_id") {
			return f.value
		}
	}
	return p.kid
}

func TestProfileTable(t *testing.T) {
	// The vendors' formats, as documented in SECURE_MODE.md's profile table.
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
		{StreamChat(), "HS256", "user_id", expOptional, false},
		{TalkJS("app"), "HS256", "sub", expOptional, false},
		{MagicBell("pk"), "HS256", "user_external_id", expOptional, false},
		{OneSignal("app"), "ES256", "external_id", expRequired, false},
		{SuprSend("t"), "ES256", "entity_id", expRequired, false},
		{SuprSend(""), "ES256", "entity_id", expRequired, false},
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
	for _, p := range []Profile{{}, Engagespot(""), Zendesk(""), TalkJS(""), MagicBell(""), OneSignal("")} {
		_, err := NewIssuer(p, k.rsaPriv)
		assert.ErrorIs(t, err, ErrInvalidProfile)
		_, err = NewVerifier(p, k.rsaPub)
		assert.ErrorIs(t, err, ErrInvalidProfile)
	}
	assert.Equal(t, "invalid profile", Profile{}.String())
	assert.NotContains(t, Engagespot("secret-api-key").String(), "secret-api-key")
}
