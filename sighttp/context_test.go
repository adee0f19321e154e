package sighttp_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// TestNestedMiddlewares: the innermost Middleware decides what
// IdentityFromContext reports.
func TestNestedMiddlewares(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	// The inner middleware reads its own header set, so a request can be
	// signed for the outer one and unsigned for the inner one.
	innerNames := usersig.Headers{UserID: "X-Inner-Id", Signature: "X-Inner-Sig"}
	aliceSig := mwAliceSig
	outerSigned := [][2]string{{hdrProfID, mwUserID}, {hdrProfSig, mwNodeSig}}
	innerSigned := [][2]string{{"X-Inner-Id", "alice"}, {"X-Inner-Sig", aliceSig}}
	inner := func() sighttp.Option { return sighttp.WithExtractor(sighttp.FromHeaders(innerNames)) }
	for _, tc := range []struct {
		name       string
		outer      []sighttp.Option
		inner      []sighttp.Option
		headers    [][2]string
		wantCalled bool
		wantOK     bool
		wantID     string
	}{
		{name: "outer verified, inner unsigned-allowed sees no signature: no identity",
			outer: nil, inner: []sighttp.Option{inner(), sighttp.WithUnsignedAllowed()},
			headers: outerSigned, wantCalled: true, wantOK: false},
		{name: "outer verified, inner verified: the inner identity",
			outer: nil, inner: []sighttp.Option{inner()},
			headers: append(append([][2]string{}, outerSigned...), innerSigned...), wantCalled: true, wantOK: true, wantID: "alice"},
		{name: "outer verified, inner unsigned-allowed verified: the inner identity",
			outer: nil, inner: []sighttp.Option{inner(), sighttp.WithUnsignedAllowed()},
			headers: append(append([][2]string{}, outerSigned...), innerSigned...), wantCalled: true, wantOK: true, wantID: "alice"},
		{name: "outer unsigned-allowed unsigned, inner verified: the inner identity",
			outer: []sighttp.Option{sighttp.WithUnsignedAllowed()}, inner: []sighttp.Option{inner()},
			headers: innerSigned, wantCalled: true, wantOK: true, wantID: "alice"},
		{name: "both unsigned-allowed, nothing signed: no identity",
			outer: []sighttp.Option{sighttp.WithUnsignedAllowed()}, inner: []sighttp.Option{inner(), sighttp.WithUnsignedAllowed()},
			wantCalled: true, wantOK: false},
		{name: "outer verified, inner strict sees no signature: refused",
			outer: nil, inner: []sighttp.Option{inner()},
			headers: outerSigned, wantCalled: false},
		{name: "outer verified, inner unsigned-allowed gets a wrong signature: refused",
			outer: nil, inner: []sighttp.Option{inner(), sighttp.WithUnsignedAllowed()},
			headers: append(append([][2]string{}, outerSigned...), [2]string{"X-Inner-Id", mwUserID}, [2]string{"X-Inner-Sig", aliceSig}), wantCalled: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next := &mwNext{}
			h := sighttp.Middleware(s, tc.outer...)(sighttp.Middleware(s, tc.inner...)(next))
			rec := mwServe(h, mwRequest("/inbox", tc.headers...))
			if !tc.wantCalled {
				mwAssertRejected(t, rec, next)
				return
			}
			assert.Equal(t, http.StatusOK, rec.Code)
			require.Equal(t, 1, next.calls)
			assert.Equal(t, tc.wantOK, next.ok)
			assert.Equal(t, tc.wantID, next.id.UserID)
		})
	}
}

// TestUnsignedPassLeavesContextAlone: with no outer identity to hide, an
// unsigned request passes with the very context it came with.
func TestUnsignedPassLeavesContextAlone(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	type key struct{}
	base := context.WithValue(context.Background(), key{}, "v")
	var got context.Context
	h := sighttp.Middleware(s, sighttp.WithUnsignedAllowed())(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got = r.Context()
	}))
	mwServe(h, mwRequest("/").WithContext(base))
	assert.Equal(t, base, got)
}

// rebuildFromValues copies a context the way reflective adapters (fiber's
// net/http adaptor) do: it walks the context's struct fields, following the
// embedded parent "Context" and pairing each "key" field with the next "val"
// field, and stores the pairs in a fresh context. Any value held some other
// way is lost.
func rebuildFromValues(src context.Context) context.Context {
	var pairs [][2]any
	var walk func(c any)
	walk = func(c any) {
		v := reflect.ValueOf(c)
		for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
			if v.IsNil() {
				return
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return
		}
		if !v.CanAddr() {
			p := reflect.New(v.Type())
			p.Elem().Set(v)
			v = p.Elem()
		}
		var key any
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
			switch v.Type().Field(i).Name {
			case "Context":
				walk(f.Interface())
			case "key":
				key = f.Interface()
			case "val":
				if key != nil {
					pairs = append(pairs, [2]any{key, f.Interface()})
				}
			}
		}
	}
	walk(src)
	dst := context.Background()
	for _, p := range pairs { // the walk ends at the innermost, which wins
		dst = context.WithValue(dst, p[0], p[1])
	}
	return dst
}

func TestIdentitySurvivesContextCopy(t *testing.T) {
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	var ctx context.Context
	h := sighttp.Middleware(s)(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() }))
	mwServe(h, mwRequest("/", [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig}))
	require.NotNil(t, ctx)
	assert.NotContains(t, fmt.Sprintf("%T", ctx), "cancel", "a plain value context, with no goroutine or cancel of its own")

	id, ok := sighttp.IdentityFromContext(rebuildFromValues(ctx))
	assert.True(t, ok, "identity lost when the context was copied value by value")
	assert.Equal(t, usersig.Identity{UserID: mwUserID}, id)

	// An outer identity hidden by an inner unsigned pass stays hidden.
	var inner context.Context
	nested := sighttp.Middleware(s)(sighttp.Middleware(s, sighttp.WithUnsignedAllowed(),
		sighttp.WithExtractor(sighttp.FromHeaders(usersig.Headers{UserID: "X-Inner-Id", Signature: "X-Inner-Sig"})))(
		http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { inner = r.Context() })))
	mwServe(nested, mwRequest("/", [2]string{hdrProfID, mwUserID}, [2]string{hdrProfSig, mwNodeSig}))
	_, ok = sighttp.IdentityFromContext(rebuildFromValues(inner))
	assert.False(t, ok)
}

// TestIdentityCannotBeForged: nothing but the middleware can put an identity
// in a context, whatever another package stores under look-alike keys.
func TestIdentityCannotBeForged(t *testing.T) {
	type identityKey struct{}
	forged := usersig.Identity{UserID: "admin"}
	for _, ctx := range []context.Context{
		context.WithValue(context.Background(), identityKey{}, &forged),
		context.WithValue(context.Background(), identityKey{}, forged),
		//lint:ignore SA1029 a look-alike key, on purpose
		context.WithValue(context.Background(), "identityKey", &forged),
		//lint:ignore SA1029 a look-alike key, on purpose
		context.WithValue(context.Background(), struct{}{}, &forged),
	} {
		_, ok := sighttp.IdentityFromContext(ctx)
		assert.False(t, ok)
	}
	var none context.Context // a nil context must not panic
	_, ok := sighttp.IdentityFromContext(none)
	assert.False(t, ok)

	// A request arriving with a forged context and a bad signature is refused.
	s := mwSigner(t, usersig.Proficient(), mwSecret)
	next := &mwNext{}
	r := mwRequest("/", [2]string{hdrProfID, "admin"}, [2]string{hdrProfSig, mwNodeSig}).
		WithContext(context.WithValue(context.Background(), identityKey{}, &forged))
	mwAssertRejected(t, mwServe(sighttp.Middleware(s, sighttp.WithUnsignedAllowed())(next), r), next)
}

// The identity in a context owns its strings: a transport that reuses its
// buffers after the request (fasthttp) cannot change it, whether the
// strings fit inline or not.
func TestIdentityOwnsItsStrings(t *testing.T) {
	var strs []string
	for f := range reflect.TypeFor[usersig.Identity]().Fields() {
		if f.Type.Kind() == reflect.String {
			strs = append(strs, f.Name)
		}
	}
	require.Equal(t, []string{"UserID", "Email"}, strs, "a new string field must be copied by the identity's context too")

	for _, n := range []int{5, 200} {
		buf := []byte(strings.Repeat("a", n))
		email := []byte("a@example.com")
		id := usersig.Identity{UserID: unsafe.String(&buf[0], len(buf)), Email: unsafe.String(&email[0], len(email))}
		ctx := sighttp.ContextWithIdentity(context.Background(), id)
		buf[0], email[0] = 'X', 'X'
		got, ok := sighttp.IdentityFromContext(ctx)
		require.True(t, ok)
		assert.Equal(t, strings.Repeat("a", n), got.UserID, n)
		assert.Equal(t, "a@example.com", got.Email, n)
	}
}
