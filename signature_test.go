package usersig

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Values marked "node" were printed by Node's crypto module:
// crypto.createHmac('sha256', key).update(msg, 'utf8').digest(enc).
const (
	rotOld    = "old-secret-0123456789"
	rotNew    = "new-secret-0123456789"
	rotOldSig = "1/Qn9zVA57AfkyJ+u4n4UkQcJJsOHPAW4OonXCUyQic=" // node: HMAC(rotOld, "user-1")
	rotNewSig = "xhlNVNLftakYFaSOeoFD5++2XKfIoIowmlY2kKyRpIE=" // node: HMAC(rotNew, "user-1")
)

func newSigner(t testing.TB, sc Scheme, secret string, opts ...Option) *Signer {
	t.Helper()
	s, err := New(sc, []byte(secret), opts...)
	require.NoError(t, err)
	return s
}

func TestNewRefuses(t *testing.T) {
	long := []byte("0123456789abcdef")
	tests := []struct {
		name   string
		scheme Scheme
		secret []byte
		opts   []Option
		want   error
	}{
		{"nil secret", Engagespot(), nil, nil, ErrEmptySecret},
		{"empty secret", Engagespot(), []byte{}, nil, ErrEmptySecret},
		{"empty even when short allowed", Engagespot(), []byte{}, []Option{WithShortSecretsAllowed()}, ErrEmptySecret},
		{"15 bytes", Engagespot(), long[:15], nil, ErrWeakSecret},
		{"empty previous", Engagespot(), long, []Option{WithPreviousSecrets([]byte{})}, ErrEmptySecret},
		{"short previous", Engagespot(), long, []Option{WithPreviousSecrets([]byte("short"))}, ErrWeakSecret},
		{"no composer", Scheme{Name: "x", Encoding: Hex}, long, nil, ErrInvalidScheme},
		{"unknown rule", Scheme{Name: "x", Composer: MessageRule(99), Encoding: Hex}, long, nil, ErrInvalidScheme},
		{"unknown encoding", Scheme{Name: "x", Composer: UserID}, long, nil, ErrInvalidScheme},
		{"nil clock", Engagespot(), long, []Option{WithClock(nil)}, ErrInvalidOption},
		{"negative leeway", Engagespot(), long, []Option{WithLeeway(-time.Second)}, ErrInvalidOption},
		{"leeway above MaxLeeway", Engagespot(), long, []Option{WithLeeway(MaxLeeway + time.Nanosecond)}, ErrInvalidOption},
		{"leeway of an hour", Engagespot(), long, []Option{WithLeeway(time.Hour)}, ErrInvalidOption},
		{"nil option", Engagespot(), long, []Option{nil}, ErrInvalidOption},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.scheme, tc.secret, tc.opts...)
			assert.ErrorIs(t, err, tc.want)
			assert.Nil(t, s)
		})
	}
	s, err := New(Engagespot(), long[:15], WithShortSecretsAllowed())
	require.NoError(t, err)
	assert.NotNil(t, s)
	_, err = New(Engagespot(), long)
	assert.NoError(t, err, "16 bytes is enough")
	_, err = New(Engagespot(), long, WithLeeway(MaxLeeway))
	assert.NoError(t, err, "MaxLeeway itself is accepted")
}

// TestKnownAnswers checks the answers the vendors publish, keyed with
// "secret": Intercom's identity-verification sample (HMAC of "Message"),
// Product Fruits' "User identity verification" page and Helpshift's "User
// Identity Verification" FAQ.
func TestKnownAnswers(t *testing.T) {
	tests := []struct {
		scheme Scheme
		id     Identity
		want   string
	}{
		{Intercom(), Identity{UserID: "Message"}, "aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597"},
		{Engagespot(), Identity{UserID: "Message"}, "qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc="},
		{Proficient(), Identity{UserID: "Message"}, "qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc="},
		{Scheme{Name: "b64url", Composer: UserID, Encoding: Base64URL}, Identity{UserID: "Message"}, "qnR8UCqJggD55PohusaBNviGoOJ67HC6Btry4qXLVZc"},
		{ProductFruits(), Identity{UserID: "testUser"}, "aH4d+kVRGcOVSZx0m2dxu6Uf0IRwNAqF0gv4tAeJY+0="},
		{ProductFruits(), Identity{UserID: "testUser", ExpiresAt: expiry}, "dtrDkRUh8uJAu3PRWl7E90qVqMq/yAB6aPsseXo1w+U="},
		{Helpshift(), Identity{UserID: "42", Email: "user@example.com"}, "bFp9vqiTajIzPYoEBVWBMEdXYQuX22MEcRQwk6xbgms="},
	}
	clock := WithClock(func() time.Time { return expiry.Add(-time.Hour) })
	for _, tc := range tests {
		s := newSigner(t, tc.scheme, "secret", WithShortSecretsAllowed(), clock)
		got, err := s.Sign(tc.id)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got, tc.scheme.Name)
		assert.NoError(t, s.Verify(tc.id, tc.want), tc.scheme.Name)
	}
}

func TestSecretIsUsedAsGivenAndCopied(t *testing.T) {
	secret := []byte("c2VjcmV0LXNlY3JldC1zZWNyZXQ=") // looks like base64; used as text
	s, err := New(Engagespot(), secret)
	require.NoError(t, err)
	for i := range secret {
		secret[i] = 'x' // the caller reuses its buffer
	}
	got, err := s.Sign(Identity{UserID: "user-1"})
	require.NoError(t, err)
	assert.Equal(t, "lBFEc8PjaCQmnq4D+Rd1U+Xcov0kGWC9pmWe//1BIuE=", got) // node
}

func TestAppendSign(t *testing.T) {
	s := newSigner(t, Intercom(), "secret", WithShortSecretsAllowed())
	out, err := s.AppendSign([]byte("hash="), Identity{UserID: "Message"})
	require.NoError(t, err)
	assert.Equal(t, "hash=aa747c502a898200f9e4fa21bac68136f886a0e27aec70ba06daf2e2a5cb5597", string(out))
	out, err = s.AppendSign([]byte("keep"), Identity{})
	assert.ErrorIs(t, err, ErrMissingIdentity)
	assert.Equal(t, "keep", string(out))
}

func TestRotation(t *testing.T) {
	id := Identity{UserID: "user-1"}
	s := newSigner(t, Engagespot(), rotNew, WithPreviousSecrets([]byte(rotOld)))
	got, err := s.Sign(id)
	require.NoError(t, err)
	assert.Equal(t, rotNewSig, got, "sign uses the current secret")
	assert.NoError(t, s.Verify(id, rotNewSig))
	assert.NoError(t, s.Verify(id, rotOldSig), "verify accepts a previous secret")

	onlyNew := newSigner(t, Engagespot(), rotNew)
	assert.ErrorIs(t, onlyNew.Verify(id, rotOldSig), ErrInvalidSignature, "once dropped, the old secret fails")
	assert.ErrorIs(t, s.Verify(Identity{UserID: "user-2"}, rotOldSig), ErrInvalidSignature)
}

func TestOneShot(t *testing.T) {
	id := Identity{UserID: "user-1"}
	got, err := Sign(Engagespot(), []byte(rotOld), id)
	require.NoError(t, err)
	assert.Equal(t, rotOldSig, got)
	assert.NoError(t, Verify(Engagespot(), []byte(rotOld), id, rotOldSig))
	assert.ErrorIs(t, Verify(Engagespot(), []byte(rotNew), id, rotOldSig), ErrInvalidSignature)
	_, err = Sign(Engagespot(), []byte("secret"), id)
	assert.ErrorIs(t, err, ErrWeakSecret, "New's secret rules apply")
	_, err = Sign(Engagespot(), []byte("secret"), id, WithShortSecretsAllowed())
	assert.NoError(t, err, "and so do its options")
	assert.ErrorIs(t, Verify(Engagespot(), nil, id, rotOldSig), ErrEmptySecret)
	_, err = Sign(Scheme{Name: "no composer", Encoding: Hex}, []byte(rotOld), id)
	assert.ErrorIs(t, err, ErrInvalidScheme)
	_, err = Sign(Scheme{Name: "no encoding", Composer: UserID}, []byte(rotOld), id)
	assert.ErrorIs(t, err, ErrInvalidScheme, "no default encoding: the zero Encoding is refused, not base64")

	// The options given are not changed by the one it adds.
	opts := make([]Option, 1, 4)
	opts[0] = WithShortSecretsAllowed()
	_, err = Sign(Intercom(), []byte("secret"), id, opts...)
	require.NoError(t, err)
	assert.Nil(t, opts[:2][1], "the caller's spare capacity is untouched")
}

// The one-shot functions give each preset's vendor-computed value: hex for
// the hex vendors (Intercom, Crisp, ...), base64 for the others, with each
// preset's secret form, as the vendors' own code wrote it in
// testdata/vendors.
func TestOneShotVendorVectors(t *testing.T) {
	covered := map[string]bool{}
	for name, f := range loadVendorFiles(t) {
		sc, ok := LookupScheme(f.Preset)
		require.True(t, ok, name)
		for _, v := range f.Vectors {
			id := vectorIdentity(t, v)
			if js, _ := FormatExpiry(id.ExpiresAt); v.Expires != "" && v.Expires != js {
				continue // a .NET expiry text: signed by SignCredential, not from an Identity
			}
			opts := []Option{WithClock(func() time.Time { return vendorNow })}
			if v.KnownAnswer {
				opts = append(opts, WithShortSecretsAllowed())
			}
			got, err := Sign(sc, []byte(v.Secret), id, opts...)
			require.NoError(t, err, "%s/%s", name, v.Name)
			assert.Equal(t, v.Signature, got, "%s/%s", name, v.Name)
			assert.NoError(t, Verify(sc, []byte(v.Secret), id, v.Signature, opts...), "%s/%s", name, v.Name)
			assert.Error(t, Verify(sc, []byte(v.Secret), id, flipChar(v.Signature), opts...), "%s/%s", name, v.Name)
			covered[sc.Name] = true
		}
	}
	for name, f := range loadTimestampedFiles(t) {
		sc, ok := LookupScheme(f.Preset)
		require.True(t, ok, name)
		for _, v := range f.Vectors {
			at := stampOfVector(t, v).Add(789 * time.Millisecond) // the samples' clocks, as in checkTimestampedVector
			opts := []Option{WithClock(func() time.Time { return at }), WithShortSecretsAllowed()}
			id := Identity{UserID: v.UserID}
			got, err := Sign(sc, []byte(v.Secret), id, opts...)
			require.NoError(t, err, "%s/%s", name, v.Name)
			assert.Equal(t, v.Signature, got, "%s/%s", name, v.Name)
			assert.NoError(t, Verify(sc, []byte(v.Secret), id, v.Signature, opts...), "%s/%s", name, v.Name)
			covered[sc.Name] = true
		}
	}
	for _, sc := range Schemes() {
		assert.True(t, covered[sc.Name], "no one-shot vector for %s", sc.Name)
	}
}

// TestNothingLeaks formats the Signer and every error it can return with
// every verb, and checks no secret and no expected signature shows.
func TestNothingLeaks(t *testing.T) {
	secrets := []string{rotNew, rotOld}
	expected := []string{rotNewSig, rotOldSig, "1/Qn9zVA57AfkyJ", "xhlNVNLftakYFa"}
	s := newSigner(t, Engagespot(), rotNew, WithPreviousSecrets([]byte(rotOld)))
	id := Identity{UserID: "user-1"}

	var texts []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		texts = append(texts, fmt.Sprintf(verb, s), fmt.Sprintf(verb, *s), fmt.Sprintf(verb, []*Signer{s}))
	}
	var errs []error
	for _, sig := range []string{"", "x", strings.Repeat("A", 43) + "=", rotNewSig + "\n", strings.ToLower(rotNewSig)} {
		errs = append(errs, s.Verify(id, sig), s.Verify(Identity{UserID: "other"}, sig))
	}
	errs = append(errs,
		s.Verify(Identity{}, rotNewSig),
		s.Verify(Identity{UserID: "user-1", ExpiresAt: time.Unix(1, 0)}, rotNewSig),
		s.VerifyCredential(Credential{UserID: "user-1", Expires: "nope", Signature: rotNewSig}),
	)
	_, err := New(Engagespot(), []byte(rotOld[:10]))
	errs = append(errs, err)
	_, err = New(Engagespot(), []byte(rotNew), WithPreviousSecrets([]byte(rotOld[:10])))
	errs = append(errs, err)
	for _, err := range errs {
		if err == nil {
			continue
		}
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			texts = append(texts, fmt.Sprintf(verb, err))
		}
	}
	require.Greater(t, len(texts), 60)
	for _, text := range texts {
		for _, secret := range append(secrets, rotOld[:10]) {
			assert.NotContains(t, text, secret)
			assert.NotContains(t, text, fmt.Sprintf("%x", secret))
		}
		for _, sig := range expected {
			assert.NotContains(t, text, sig)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newSigner(t, Engagespot(), rotNew, WithPreviousSecrets([]byte(rotOld)))
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 32; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				id := Identity{UserID: fmt.Sprintf("user-%d-%d", g, i)}
				sig, err := s.Sign(id)
				if err == nil {
					err = s.Verify(id, sig)
				}
				if err == nil && s.Verify(Identity{UserID: "user-1"}, rotOldSig) != nil {
					err = errors.New("rotation lost under load")
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
}

func TestLargeIdentity(t *testing.T) {
	s := newSigner(t, Engagespot(), rotNew)
	big := Identity{UserID: strings.Repeat("u", 1<<20)}
	sig, err := s.Sign(big)
	require.NoError(t, err)
	assert.NoError(t, s.Verify(big, sig))
	assert.ErrorIs(t, s.Verify(Identity{UserID: big.UserID[1:]}, sig), ErrInvalidSignature)
	assert.NoError(t, s.Verify(Identity{UserID: "user-1"}, rotNewSig), "pool still works after a big message")
}
