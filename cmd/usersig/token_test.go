package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig/usertoken"
)

func TestKeygenAndToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "keys")
	r := cli(t, "", "keygen", "--out", dir)
	require.Equal(t, exitOK, r.code, r.stderr)
	priv, pub := filepath.Join(dir, "private.pem"), filepath.Join(dir, "public.pem")
	assert.Equal(t, priv+"\n"+pub+"\n", r.stdout)
	st, err := os.Stat(priv)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	privPEM, err := os.ReadFile(priv)
	require.NoError(t, err)
	assert.NotContains(t, r.stdout+r.stderr, "PRIVATE KEY")

	// Never overwrites.
	r = cli(t, "", "keygen", "--out", dir)
	assert.Equal(t, exitUsage, r.code, "the key exists: a usage error, as the README's table says")
	oneLine(t, r.stderr)
	assert.Contains(t, r.stderr, "exists: keygen never overwrites a key")
	after, err := os.ReadFile(priv)
	require.NoError(t, err)
	assert.Equal(t, privPEM, after)

	pubPEM, err := os.ReadFile(pub)
	require.NoError(t, err)
	for _, tc := range []struct {
		profile string
		extra   []string
		p       usertoken.Profile
	}{
		{"engagespot", []string{"--api-key", "pk_test_123"}, usertoken.Engagespot("pk_test_123")},
		{"knock", nil, usertoken.Knock()},
		{"braze", nil, usertoken.Braze()},
	} {
		r := cli(t, "", join([]string{"token", "--profile", tc.profile, "--user-id", "user-42", "--key-file", priv}, tc.extra)...)
		require.Equal(t, exitOK, r.code, "%s: %s", tc.profile, r.stderr)
		oneLine(t, r.stdout)
		v, err := usertoken.NewVerifier(tc.p, pubPEM, usertoken.WithClock(func() time.Time { return testNow }))
		require.NoError(t, err)
		id, err := v.Verify(strings.TrimSpace(r.stdout))
		require.NoError(t, err, tc.profile)
		assert.Equal(t, "user-42", id)
	}
}

func TestTokenHS256(t *testing.T) {
	secret := "hs256-shared-secret-0123456789abcdef-distinctive"
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(p, []byte(secret+"\n"), 0o600))
	r := cli(t, "", "token", "--profile", "zendesk", "--kid", "app_123", "--user-id", "u1", "--key-file", p)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.NotContains(t, r.stdout+r.stderr, secret)
	v, err := usertoken.NewVerifier(usertoken.Zendesk("app_123"), []byte(secret), usertoken.WithClock(func() time.Time { return testNow }))
	require.NoError(t, err)
	id, err := v.Verify(strings.TrimSpace(r.stdout))
	require.NoError(t, err)
	assert.Equal(t, "u1", id)
}

func TestKeygenES256AndTokens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ec")
	r := cli(t, "", "keygen", "--alg", "es256", "--out", dir)
	require.Equal(t, exitOK, r.code, r.stderr)
	priv, pub := filepath.Join(dir, "private.pem"), filepath.Join(dir, "public.pem")
	st, err := os.Stat(priv)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
	pubPEM, err := os.ReadFile(pub)
	require.NoError(t, err)
	// An RS256 profile refuses the EC key.
	r = cli(t, "", "token", "--profile", "knock", "--user-id", "u", "--key-file", priv)
	assert.Equal(t, exitUsage, r.code)
	for _, tc := range []struct {
		extra []string
		p     usertoken.Profile
	}{
		{[]string{"--profile", "onesignal", "--app-id", "app-1"}, usertoken.OneSignal("app-1")},
		{[]string{"--profile", "suprsend", "--tenant-id", "acme"}, usertoken.SuprSend("acme")},
		{[]string{"--profile", "SuprSend"}, usertoken.SuprSend("")},
	} {
		r := cli(t, "", join([]string{"token", "--user-id", "user-42", "--key-file", priv}, tc.extra)...)
		require.Equal(t, exitOK, r.code, "%v: %s", tc.extra, r.stderr)
		oneLine(t, r.stdout)
		v, err := usertoken.NewVerifier(tc.p, pubPEM, usertoken.WithClock(func() time.Time { return testNow }))
		require.NoError(t, err)
		id, err := v.Verify(strings.TrimSpace(r.stdout))
		require.NoError(t, err, "%v", tc.extra)
		assert.Equal(t, "user-42", id)
	}
}

func TestTokenNewHS256Profiles(t *testing.T) {
	secret := "hs256-shared-secret-0123456789abcdef-distinctive"
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(p, []byte(secret+"\n"), 0o600))
	for _, tc := range []struct {
		extra []string
		p     usertoken.Profile
	}{
		{[]string{"--profile", "streamchat"}, usertoken.StreamChat()},
		{[]string{"--profile", "talkjs", "--app-id", "tApp"}, usertoken.TalkJS("tApp")},
		{[]string{"--profile", "magicbell", "--api-key", "pk_1"}, usertoken.MagicBell("pk_1")},
	} {
		r := cli(t, "", join([]string{"token", "--user-id", "u1", "--key-file", p}, tc.extra)...)
		require.Equal(t, exitOK, r.code, "%v: %s", tc.extra, r.stderr)
		assert.NotContains(t, r.stdout+r.stderr, secret)
		v, err := usertoken.NewVerifier(tc.p, []byte(secret), usertoken.WithClock(func() time.Time { return testNow }))
		require.NoError(t, err)
		id, err := v.Verify(strings.TrimSpace(r.stdout))
		require.NoError(t, err, "%v", tc.extra)
		assert.Equal(t, "u1", id)
	}
}

func TestTokenUsage(t *testing.T) {
	secret := "hs256-shared-secret-0123456789abcdef-distinctive"
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(p, []byte(secret), 0o600))
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no profile", []string{"token", "--user-id", "u", "--key-file", p}, "--profile is required"},
		{"unknown profile", []string{"token", "--profile", "nope", "--user-id", "u", "--key-file", p}, `unknown profile; profiles: braze`},
		{"mistyped profile", []string{"token", "--profile", "knok", "--user-id", "u", "--key-file", p}, `unknown profile "knok" (did you mean "knock"?)`},
		{"engagespot without api key", []string{"token", "--profile", "engagespot", "--user-id", "u", "--key-file", p}, "needs --api-key"},
		{"kid on intercom", []string{"token", "--profile", "intercom", "--kid", "k", "--user-id", "u", "--key-file", p}, "takes no --kid"},
		{"api key on talkjs", []string{"token", "--profile", "talkjs", "--app-id", "a", "--api-key", "k", "--user-id", "u", "--key-file", p}, "--api-key applies to engagespot and magicbell only"},
		{"talkjs without app id", []string{"token", "--profile", "talkjs", "--user-id", "u", "--key-file", p}, "needs --app-id"},
		{"onesignal without app id", []string{"token", "--profile", "onesignal", "--user-id", "u", "--key-file", p}, "needs --app-id"},
		{"tenant on streamchat", []string{"token", "--profile", "streamchat", "--tenant-id", "t", "--user-id", "u", "--key-file", p}, "takes no --tenant-id"},
		{"secret for es256", []string{"token", "--profile", "suprsend", "--user-id", "u", "--key-file", p}, "wrong kind of key"},
		{"keygen unknown alg", []string{"keygen", "--out", t.TempDir(), "--alg", "HS256"}, "--alg must be RS256 or ES256"},
		{"no key file", []string{"token", "--profile", "intercom", "--user-id", "u"}, "--key-file is required"},
		{"no user id", []string{"token", "--profile", "intercom", "--key-file", p}, "--user-id is required"},
		{"pem for hs256 / secret for rs256", []string{"token", "--profile", "knock", "--user-id", "u", "--key-file", p}, "wrong kind of key"},
		{"keygen no out", []string{"keygen"}, "--out is required"},
	} {
		r := cli(t, "", tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
		assert.NotContains(t, r.stdout+r.stderr, secret, tc.name)
	}
}

// TestTokenSSOProfiles: the four SSO profiles from the command line, with
// their per-user fields, verified by usertoken with every field.
func TestTokenSSOProfiles(t *testing.T) {
	secret := "utv_hs256-shared-secret-0123456789abcdef"
	p := filepath.Join(t.TempDir(), "secret")
	require.NoError(t, os.WriteFile(p, []byte(secret+"\n"), 0o600))
	for _, tc := range []struct {
		args []string
		p    usertoken.Profile
		want usertoken.Claims
	}{
		{[]string{"--profile", "nolt", "--user-id", "42", "--email", "a@example.com", "--name", "Ada", "--image-url", "https://x/a.png", "--role", "ADMIN"},
			usertoken.Nolt(), usertoken.Claims{UserID: "42", Email: "a@example.com", Name: "Ada", ImageURL: "https://x/a.png", Role: "ADMIN"}},
		{[]string{"--profile", "uservoice", "--user-id", "u-7", "--email", "a@example.com", "--name", "Ada"},
			usertoken.UserVoice(), usertoken.Claims{UserID: "u-7", Email: "a@example.com", Name: "Ada"}},
		{[]string{"--profile", "usertour", "--user-id", "12345678901234567890", "--company-id", "7"},
			usertoken.Usertour(), usertoken.Claims{UserID: "12345678901234567890", CompanyID: "7"}},
		{[]string{"--profile", "userback", "--user-id", "j@example.com", "--name", "J", "--image-url", "https://x/j.png"},
			usertoken.Userback(), usertoken.Claims{UserID: "j@example.com", Email: "j@example.com", Name: "J", ImageURL: "https://x/j.png"}},
	} {
		r := cli(t, "", join([]string{"token", "--key-file", p}, tc.args)...)
		require.Equal(t, exitOK, r.code, "%v: %s", tc.args, r.stderr)
		oneLine(t, r.stdout)
		assert.NotContains(t, r.stdout+r.stderr, secret)
		v, err := usertoken.NewVerifier(tc.p, []byte(secret), usertoken.WithClock(func() time.Time { return testNow }))
		require.NoError(t, err)
		got, err := v.VerifyClaims(strings.TrimSpace(r.stdout))
		require.NoError(t, err, "%v", tc.args)
		got.ExpiresAt, got.IssuedAt = time.Time{}, time.Time{}
		assert.Equal(t, tc.want, got)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"nolt without email", []string{"--profile", "nolt", "--user-id", "42", "--name", "A"}, "profile nolt needs --email"},
		{"nolt without name", []string{"--profile", "nolt", "--user-id", "42", "--email", "a@example.com"}, "profile nolt needs --name"},
		{"nolt role owner", []string{"--profile", "nolt", "--user-id", "42", "--email", "a@example.com", "--name", "A", "--role", "OWNER"}, "ADMIN, MODERATOR"},
		{"uservoice without email", []string{"--profile", "uservoice", "--user-id", "u"}, "profile uservoice needs --email"},
		{"company on nolt", []string{"--profile", "nolt", "--user-id", "42", "--email", "a@example.com", "--name", "A", "--company-id", "7"}, "--company-id applies to usertour only"},
		{"email on intercom", []string{"--profile", "intercom", "--user-id", "42", "--email", "a@example.com"}, "--email applies to nolt and uservoice only"},
		{"role on userback", []string{"--profile", "userback", "--user-id", "a@example.com", "--role", "ADMIN"}, "--role applies to nolt only"},
	} {
		r := cli(t, "", join([]string{"token", "--key-file", p}, tc.args)...)
		assert.Equal(t, exitUsage, r.code, tc.name)
		oneLine(t, r.stderr)
		assert.Contains(t, r.stderr, tc.want, tc.name)
	}
}
