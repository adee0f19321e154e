package tenants

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/usertoken"
)

func token(t testing.TB, p usertoken.Profile, key []byte, user string, now func() time.Time) string {
	iss, err := usertoken.NewIssuer(p, key, usertoken.WithClock(now))
	require.NoError(t, err)
	tok, err := iss.Token(user)
	require.NoError(t, err)
	return tok
}

func tokenVerifies(st *Store, tenant, tok string) bool {
	v, err := st.TokenVerifier(context.Background(), tenant)
	if err != nil {
		return false
	}
	_, err = v.Verify(tok)
	return err == nil
}

func TestTokenTenantRotation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newTestClock()
		st := b.open(t, Options{KEK: testKEK(t, 1), Clock: clock.Now})
		priv1, pub1, err := usertoken.GenerateRSAKeyPair()
		require.NoError(t, err)
		priv2, pub2, err := usertoken.GenerateRSAKeyPair()
		require.NoError(t, err)
		p := usertoken.Engagespot("pk_acme")

		require.NoError(t, st.AddTokenTenant(ctx, "acme", TokenKey{Profile: "engagespot", Param: "pk_acme", Key: pub1}))
		err = st.AddTokenTenant(ctx, "acme", TokenKey{Profile: "engagespot", Param: "pk_acme", Key: pub1})
		assert.ErrorIs(t, err, ErrDuplicateTenant)
		require.NoError(t, st.Start(ctx))

		tok1 := token(t, p, priv1, "alice", clock.Now)
		assert.True(t, tokenVerifies(st, "acme", tok1))
		_, err = st.Signer(ctx, "acme")
		assert.ErrorIs(t, err, ErrTenantUnavailable, "a token-only tenant has no HMAC Signer")

		id, err := st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "engagespot", Param: "pk_acme", Key: pub2}, time.Hour)
		require.NoError(t, err)
		assert.Equal(t, 2, id)
		require.NoError(t, st.Sync(ctx))
		tok2 := token(t, p, priv2, "alice", clock.Now)
		assert.True(t, tokenVerifies(st, "acme", tok1), "the old key verifies during the overlap")
		assert.True(t, tokenVerifies(st, "acme", tok2))

		// The overlap ends by itself: the replica rebuilds the Verifier
		// at the deadline, with no write.
		clock.Advance(time.Hour)
		tok1 = token(t, p, priv1, "alice", clock.Now)
		tok2 = token(t, p, priv2, "alice", clock.Now)
		st.poke()
		require.Eventually(t, func() bool { return !tokenVerifies(st, "acme", tok1) }, 5*time.Second, time.Millisecond)
		assert.True(t, tokenVerifies(st, "acme", tok2))

		require.NoError(t, st.RevokeTokenKey(ctx, "acme", 2))
		require.NoError(t, st.Sync(ctx))
		_, err = st.TokenVerifier(ctx, "acme")
		assert.ErrorIs(t, err, ErrTenantUnavailable)
		assert.ErrorIs(t, st.RevokeTokenKey(ctx, "acme", 7), ErrNoSuchSecret)

		list, err := st.List(ctx)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "engagespot", list[0].TokenProfile)
		assert.Len(t, list[0].TokenKeys, 2)
	})
}

func TestTokenKeysOnHMACTenant(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		clock := newTestClock()
		st := b.open(t, Options{KEK: testKEK(t, 1), Clock: clock.Now})
		secret, err := st.Add(ctx, Tenant{Key: "acme", Scheme: "intercom"})
		require.NoError(t, err)
		require.NoError(t, st.Start(ctx))
		_, err = st.TokenVerifier(ctx, "acme")
		assert.ErrorIs(t, err, ErrTenantUnavailable)

		// Zendesk: HS256, the key id is the profile's parameter.
		k1, k2 := bytes.Repeat([]byte("a"), 32), bytes.Repeat([]byte("b"), 32)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "zendesk", Param: "kid-1", Key: k1}, time.Hour)
		require.NoError(t, err)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "zendesk", Param: "kid-2", Key: k2}, time.Hour)
		require.NoError(t, err)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "zendesk", Param: "kid-2", Key: k1}, time.Hour)
		assert.ErrorIs(t, err, ErrInvalidTenant, "a kid in use")
		require.NoError(t, st.Sync(ctx))
		assert.True(t, tokenVerifies(st, "acme", token(t, usertoken.Zendesk("kid-1"), k1, "u", clock.Now)))
		assert.True(t, tokenVerifies(st, "acme", token(t, usertoken.Zendesk("kid-2"), k2, "u", clock.Now)))
		assert.False(t, tokenVerifies(st, "acme", token(t, usertoken.Zendesk("kid-1"), k2, "u", clock.Now)))
		assert.True(t, verifies(t, st, "acme", secret), "the HMAC secret is untouched")

		// Bad keys and profiles are refused at write time.
		priv, _, err := usertoken.GenerateECKeyPair()
		require.NoError(t, err)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "knock", Key: priv}, 0)
		assert.ErrorIs(t, err, ErrInvalidTenant)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "no-such", Key: k1}, 0)
		assert.ErrorIs(t, err, ErrUnknownScheme)
		_, err = st.RotateTokenKey(ctx, "acme", TokenKey{Profile: "zendesk", Param: "kid-3", Key: []byte("short")}, 0)
		assert.ErrorIs(t, err, ErrInvalidTenant)
		_, err = st.RotateTokenKey(ctx, "nobody", TokenKey{Profile: "zendesk", Param: "kid-3", Key: k1}, 0)
		assert.ErrorIs(t, err, ErrNoSuchTenant)
	})
}
