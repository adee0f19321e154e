package tenants

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig/usertoken"
)

// flakyKEK is a KEK whose Unwrap fails as a KMS does during an outage (an
// error that is not ErrSealed) while down is set.
type flakyKEK struct {
	KEK
	down    atomic.Bool
	unwraps atomic.Int64
}

func (k *flakyKEK) Unwrap(ctx context.Context, wrapped []byte) ([]byte, error) {
	k.unwraps.Add(1)
	if k.down.Load() {
		return nil, errors.New("kms: service unavailable")
	}
	return k.KEK.Unwrap(ctx, wrapped)
}

// A KEK that cannot answer for a moment (a KMS outage at start) refuses
// its tenants only until it answers again: the replica tries them again on
// the next sync even though no row changed, and in the meantime asks the
// KEK once per data key, not once per tenant.
func TestTransientKEKFailureIsRetried(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		w := b.open(t, Options{KEK: testKEK(t, 1)})
		secrets := map[string][]byte{}
		for _, key := range []string{"a", "b", "c"} {
			s, err := w.Add(ctx, Tenant{Key: key, Scheme: "intercom"})
			require.NoError(t, err)
			secrets[key] = s
		}
		_, pub, err := usertoken.GenerateRSAKeyPair()
		require.NoError(t, err)
		require.NoError(t, w.AddTokenTenant(ctx, "jwt-co", TokenKey{Profile: "engagespot", Param: "pk_jwt", Key: pub}))

		kek := &flakyKEK{KEK: testKEK(t, 1)}
		kek.down.Store(true)
		r := b.open(t, Options{KEK: kek, Logger: quietLogger()})
		require.NoError(t, r.Start(ctx))
		_, err = r.Signer(ctx, "a")
		require.ErrorIs(t, err, ErrTenantUnavailable, "refused while the KEK is down")
		_, err = r.TokenVerifier(ctx, "jwt-co")
		require.ErrorIs(t, err, ErrTenantUnavailable, "refused while the KEK is down")
		assert.Equal(t, int64(1), kek.unwraps.Load(), "one KEK call for the one data key, not one per tenant")

		kek.down.Store(false)
		require.NoError(t, r.Sync(ctx))
		for key, s := range secrets {
			assert.True(t, verifies(t, r, key, s), "tenant %s served once the KEK answers, with no write", key)
		}
		v, err := r.TokenVerifier(ctx, "jwt-co")
		assert.NoError(t, err)
		assert.NotNil(t, v)
	})
}
