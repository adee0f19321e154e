package cloudkek

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/tenants"
	"gocloud.dev/gcerrors"
	"gocloud.dev/secrets"
)

func keeperURL(seed byte) string {
	return "base64key://" + base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{seed}, 32))
}

func TestWrapUnwrap(t *testing.T) {
	ctx := context.Background()
	k, err := Open(ctx, keeperURL(1))
	require.NoError(t, err)
	defer k.Close()
	assert.NotContains(t, k.ID(), "base64key")
	dk := bytes.Repeat([]byte{7}, 32)
	w, err := k.Wrap(ctx, dk)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(w, dk))
	got, err := k.Unwrap(ctx, w)
	require.NoError(t, err)
	assert.Equal(t, dk, got)

	other, err := Open(ctx, keeperURL(2))
	require.NoError(t, err)
	defer other.Close()
	assert.NotEqual(t, k.ID(), other.ID())
	_, err = other.Unwrap(ctx, w)
	assert.ErrorIs(t, err, tenants.ErrSealed)
}

// The tenant store on SQLite with a keeper as its KEK, and a KEK rotation
// from the local KEK to the keeper.
func TestStoreWithKeeper(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "t.db")
	local, err := tenants.NewLocalKEK(bytes.Repeat([]byte{9}, 32))
	require.NoError(t, err)
	cloud, err := Open(ctx, keeperURL(3))
	require.NoError(t, err)
	defer cloud.Close()

	w, err := tenants.Open(ctx, db, tenants.Options{KEK: local})
	require.NoError(t, err)
	defer w.Close()
	require.NoError(t, w.Migrate(ctx))
	secret, err := w.Add(ctx, tenants.Tenant{Key: "acme", Scheme: "intercom"})
	require.NoError(t, err)

	rw, err := tenants.Open(ctx, db, tenants.Options{KEK: cloud, OldKEKs: []tenants.KEK{local}})
	require.NoError(t, err)
	defer rw.Close()
	n, err := rw.Rewrap(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	st, err := tenants.Open(ctx, db, tenants.Options{KEK: cloud})
	require.NoError(t, err)
	defer st.Close()
	require.NoError(t, st.Start(ctx))
	signer, err := st.Signer(ctx, "acme")
	require.NoError(t, err)
	client, err := usersig.New(usersig.Intercom(), secret)
	require.NoError(t, err)
	h, err := client.Sign(usersig.Identity{UserID: "u"})
	require.NoError(t, err)
	assert.NoError(t, signer.Verify(usersig.Identity{UserID: "u"}, h))

	raw, err := os.ReadFile(db)
	require.NoError(t, err)
	assert.False(t, bytes.Contains(raw, secret))
}

// A base64key:// URL holds its key, so a URL Open refuses (a typo in the
// scheme, a stray escape, a key of the wrong size) must not come back in the
// error text, which ends up in logs.
func TestOpenErrorNeverHoldsTheURL(t *testing.T) {
	key := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	short := base64.URLEncoding.EncodeToString(bytes.Repeat([]byte{9}, 31))
	for _, url := range []string{
		"base64keyy://" + key,        // no driver for the scheme
		"base64key://" + key + "%zz", // not a URL
		"base64key://" + short,       // the key is not 32 bytes
		"base64key://" + key + "?bogus=1",
	} {
		_, err := Open(context.Background(), url)
		require.Error(t, err, url)
		assert.NotContains(t, err.Error(), key[:20], url)
		assert.NotContains(t, err.Error(), short[:20], url)
	}
}

// downKeeper is a KMS that cannot be reached: every call fails as a
// network timeout or an overloaded service does.
type downKeeper struct{ err error }

func (k downKeeper) Decrypt(context.Context, []byte) ([]byte, error) { return nil, k.err }
func (k downKeeper) Encrypt(context.Context, []byte) ([]byte, error) { return nil, k.err }
func (downKeeper) Close() error                                      { return nil }
func (downKeeper) ErrorAs(error, any) bool                           { return false }
func (k downKeeper) ErrorCode(err error) gcerrors.ErrorCode {
	if errors.Is(err, errThrottled) {
		return gcerrors.ResourceExhausted
	}
	return gcerrors.Unknown
}

var errThrottled = errors.New("ThrottlingException")

// A KMS that could not answer is not a verdict on the data key: Unwrap
// says so by not wrapping tenants.ErrSealed, so the store retries the
// tenants under it instead of refusing them until their next write.
func TestUnwrapOfAnUnreachableKMSIsNotSealed(t *testing.T) {
	for _, cause := range []error{
		context.DeadlineExceeded,
		errThrottled,
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
	} {
		k, err := New(secrets.NewKeeper(downKeeper{cause}), "test")
		require.NoError(t, err)
		_, err = k.Unwrap(context.Background(), []byte("wrapped"))
		require.Error(t, err)
		assert.NotErrorIs(t, err, tenants.ErrSealed, "%v", cause)
	}
}
