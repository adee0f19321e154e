package sighttp_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
)

// carrier is a non-net/http carrier of named values, such as gRPC metadata:
// lower-case names, matched exactly.
type carrier map[string][]string

func (c carrier) get(name string) []string { return c[name] }

func TestReadCredential(t *testing.T) {
	names := usersig.Headers{UserID: "x-user-id", Email: "x-user-email", Expires: "x-user-expires", Signature: "x-user-signature", APIKey: "x-api-key"}
	long := strings.Repeat("a", 1025)
	for _, tc := range []struct {
		name  string
		md    carrier
		want  usersig.Credential
		err   error
		field *sighttp.FieldError
	}{
		{name: "all four", md: carrier{"x-user-id": {"u1"}, "x-user-email": {"a@b.co"}, "x-user-expires": {"2999-01-01T00:00:00Z"}, "x-user-signature": {"sig"}},
			want: usersig.Credential{UserID: "u1", Email: "a@b.co", Expires: "2999-01-01T00:00:00Z", Signature: "sig"}},
		{name: "1024 bytes", md: carrier{"x-user-id": {long[:1024]}, "x-user-signature": {"sig"}}, want: usersig.Credential{UserID: long[:1024], Signature: "sig"}},
		{name: "api key is not read", md: carrier{"x-api-key": {"k", "k"}, "x-user-id": {"u1"}, "x-user-signature": {"sig"}}, want: usersig.Credential{UserID: "u1", Signature: "sig"}},
		{name: "names match exactly", md: carrier{"X-User-Id": {"u1"}, "x-user-signature": {"sig"}}, want: usersig.Credential{Signature: "sig"}},
		{name: "no signature keeps what was read", md: carrier{"x-user-id": {"u1"}}, want: usersig.Credential{UserID: "u1"}, err: sighttp.ErrNoSignature},
		{name: "empty signature", md: carrier{"x-user-id": {"u1"}, "x-user-signature": {""}}, want: usersig.Credential{UserID: "u1"}, err: sighttp.ErrNoSignature},
		{name: "nothing", md: carrier{}, err: sighttp.ErrNoSignature},
		{name: "id twice", md: carrier{"x-user-id": {"u1", "u2"}, "x-user-signature": {"sig"}}, err: sighttp.ErrMalformedCredential,
			field: &sighttp.FieldError{Source: "header", Name: "x-user-id", Reason: "is sent more than once"}},
		{name: "signature twice, same value", md: carrier{"x-user-id": {"u1"}, "x-user-signature": {"sig", "sig"}}, err: sighttp.ErrMalformedCredential,
			field: &sighttp.FieldError{Source: "header", Name: "x-user-signature", Reason: "is sent more than once"}},
		{name: "duplicate wins over no signature", md: carrier{"x-user-email": {"a", "b"}}, err: sighttp.ErrMalformedCredential,
			field: &sighttp.FieldError{Source: "header", Name: "x-user-email", Reason: "is sent more than once"}},
		{name: "oversized expiry", md: carrier{"x-user-expires": {long}, "x-user-signature": {"sig"}}, err: sighttp.ErrMalformedCredential,
			field: &sighttp.FieldError{Source: "header", Name: "x-user-expires", Reason: "is longer than 1024 bytes"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sighttp.ReadCredential(tc.md.get, names)
			assert.Equal(t, tc.want, c)
			if tc.err == nil {
				assert.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
			if tc.field != nil {
				var fe *sighttp.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, *tc.field, *fe)
				assert.NotErrorIs(t, err, sighttp.ErrNoSignature)
			}
		})
	}

	t.Run("empty names are not read", func(t *testing.T) {
		var asked []string
		_, err := sighttp.ReadCredential(func(name string) []string {
			asked = append(asked, name)
			return nil
		}, usersig.Headers{UserID: "id", Signature: "sig"})
		assert.ErrorIs(t, err, sighttp.ErrNoSignature)
		assert.Equal(t, []string{"id", "sig"}, asked)
	})
}

// TestExtractorsReportNoSignature: every built-in extractor says
// ErrNoSignature when the signature is absent or empty, and nothing else.
func TestExtractorsReportNoSignature(t *testing.T) {
	names := usersig.Headers{UserID: "uid", Signature: "sig"}
	for _, tc := range []struct {
		name string
		e    sighttp.Extractor
		r    *http.Request
	}{
		{"headers, absent", sighttp.FromHeaders(names), mwRequest("/", [2]string{"Uid", "u1"})},
		{"headers, empty", sighttp.FromHeaders(names), mwRequest("/", [2]string{"Uid", "u1"}, [2]string{"Sig", ""})},
		{"query, absent", sighttp.FromQuery(names), mwRequest("/?uid=u1")},
		{"query, empty", sighttp.FromQuery(names), mwRequest("/?uid=u1&sig=")},
		{"cookie, absent", sighttp.FromCookie(names), mwRequest("/", [2]string{"Cookie", "uid=u1"})},
		{"cookie, empty", sighttp.FromCookie(names), mwRequest("/", [2]string{"Cookie", "uid=u1; sig="})},
		{"cookie, no '='", sighttp.FromCookie(names), mwRequest("/", [2]string{"Cookie", "uid=u1; sig"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := tc.e(tc.r)
			assert.True(t, errors.Is(err, sighttp.ErrNoSignature), "got %v", err)
			assert.Equal(t, "u1", c.UserID)
		})
	}
}

// TestFromCookieParsesLikeNetHTTP checks FromCookie against what net/http's
// own Request.Cookies reads from the same lines: wherever net/http sees a
// name once, FromCookie reads the same value; wherever it sees the name
// twice, FromCookie refuses.
func TestFromCookieParsesLikeNetHTTP(t *testing.T) {
	names := usersig.Headers{UserID: "uid", Signature: "sig"}
	extract := sighttp.FromCookie(names)
	for _, tc := range []struct {
		name   string
		lines  []string
		uid    string // "" with refused false: no uid
		reason string // the FieldError's reason when refused
	}{
		{name: "plain", lines: []string{"uid=bob; sig=s"}, uid: "bob"},
		{name: "space before the name", lines: []string{"  uid=bob ;sig=s"}, uid: "bob"},
		{name: "space before '='", lines: []string{"uid =bob; sig=s"}, uid: "bob"},
		{name: "space after '=' kept in the value, as net/http does", lines: []string{"x=1; uid= bob; sig=s"}, uid: " bob"},
		{name: "tab-trimmed part", lines: []string{"\tuid=bob\t; sig=s"}, uid: "bob"},
		{name: "quoted", lines: []string{`uid="bob"; sig=s`}, uid: "bob"},
		{name: "two lines", lines: []string{"uid=bob", "sig=s"}, uid: "bob"},
		{name: "invalid names skipped", lines: []string{"u id=alice; uid=bob; sig=s; =x; (uid)=eve"}, uid: "bob"},
		{name: "other case is another cookie", lines: []string{"UID=alice; uid=bob; sig=s"}, uid: "bob"},
		{name: "sent twice", lines: []string{"uid=alice; uid=bob; sig=s"}, reason: "is sent more than once"},
		{name: "sent twice, one with a space before '='", lines: []string{"uid =bob; uid=alice; sig=s"}, reason: "is sent more than once"},
		{name: "sent twice, leading space", lines: []string{"sig=s; uid=alice;  uid=bob"}, reason: "is sent more than once"},
		{name: "sent twice across two lines", lines: []string{"uid=alice; sig=s", "uid=bob"}, reason: "is sent more than once"},
		{name: "sent twice, once without '='", lines: []string{"uid; uid=bob; sig=s"}, reason: "is sent more than once"},
		{name: "a byte net/http drops", lines: []string{`uid=bo\b; sig=s`}, reason: "holds a byte a cookie value may not"},
		{name: "oversized", lines: []string{"uid=" + strings.Repeat("a", 1025) + "; sig=s"}, reason: "is longer than 1024 bytes"},
		{name: "1024 bytes quoted", lines: []string{`uid="` + strings.Repeat("a", 1024) + `"; sig=s`}, uid: strings.Repeat("a", 1024)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mwRequest("/")
			for _, l := range tc.lines {
				r.Header.Add("Cookie", l)
			}
			var std []string // what net/http reads for "uid"
			for _, c := range r.Cookies() {
				if c.Name == "uid" {
					std = append(std, c.Value)
				}
			}
			c, err := extract(r)
			if tc.reason != "" {
				var fe *sighttp.FieldError
				require.ErrorAs(t, err, &fe)
				assert.Equal(t, sighttp.FieldError{Source: "cookie", Name: "uid", Reason: tc.reason}, *fe)
				assert.Equal(t, usersig.Credential{}, c)
				if tc.reason == "is sent more than once" {
					assert.Len(t, std, 2, "net/http reads %q", std)
				} else {
					assert.LessOrEqual(t, len(std), 1)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, usersig.Credential{UserID: tc.uid, Signature: "s"}, c)
			require.Len(t, std, 1)
			assert.Equal(t, tc.uid, std[0], "net/http reads another value")
		})
	}
}

// An adapter outside net/http (here, gRPC-style metadata with lower-case
// keys) applies the middleware's rules with ReadCredential.
func ExampleReadCredential() {
	signer, err := usersig.New(usersig.Proficient(), []byte("hsec_2f9c1e7a4b8d3f60a5e1c7b9"))
	if err != nil {
		panic(err)
	}
	names := usersig.Headers{UserID: "x-proficient-user-external-id", Signature: "x-proficient-user-hmac"}
	for _, md := range []map[string][]string{
		{"x-proficient-user-external-id": {"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"}, "x-proficient-user-hmac": {"Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM="}},
		{"x-proficient-user-external-id": {"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3", "alice"}, "x-proficient-user-hmac": {"Sdf0ACguqyXfR+VLdrqUOUAy+SIDC2AmK7ywrzkLcMM="}},
		{"x-proficient-user-external-id": {"gtLIK8ELsHTr0Fajg28Ud9eFpJJ3"}},
	} {
		c, err := sighttp.ReadCredential(func(name string) []string { return md[name] }, names)
		if err != nil {
			fmt.Println("refused:", err, errors.Is(err, sighttp.ErrNoSignature))
			continue
		}
		id, err := signer.Authenticate(c)
		fmt.Println(id.UserID, err)
	}
	// Output:
	// gtLIK8ELsHTr0Fajg28Ud9eFpJJ3 <nil>
	// refused: sighttp: malformed credential: header "x-proficient-user-external-id" is sent more than once false
	// refused: sighttp: request has no signature true
}
