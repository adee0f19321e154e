package fibersig

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/usersig/usersig"
	"github.com/usersig/usersig/sighttp"
	"github.com/valyala/fasthttp"
)

// defaultHeaders are read for a scheme whose vendor sends none, as
// sighttp.Middleware does.
var defaultHeaders = usersig.Headers{
	UserID:    "X-User-Id",
	Email:     "X-User-Email",
	Expires:   "X-User-Expires",
	Signature: "X-User-Signature",
}

func requestHeaders(sc usersig.Scheme) usersig.Headers {
	if sc.Headers.Signature != "" {
		return sc.Headers
	}
	return defaultHeaders
}

// headerValues is the carrier sighttp.ReadCredential reads: every value of
// a header, whatever the case of its name. fasthttp normalises names by
// default, but an app with DisableHeaderNormalizing keeps "x-user-id" and
// "X-User-Id" apart, and a duplicate sent in two cases must still count as
// a duplicate.
func headerValues(h *fasthttp.RequestHeader) func(name string) []string {
	return func(name string) []string {
		var vs []string
		h.VisitAll(func(k, v []byte) {
			if equalFold(k, name) {
				vs = append(vs, string(v))
			}
		})
		return vs
	}
}

// equalFold reports whether the header name k is name in ASCII case.
func equalFold(k []byte, name string) bool {
	if len(k) != len(name) {
		return false
	}
	for i := range len(k) {
		a, b := k[i], name[i]
		if 'A' <= a && a <= 'Z' {
			a += 'a' - 'A'
		}
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// LookupByHeader returns a lookup for WithSignerLookup that reads the key
// from one request header, such as a vendor's publishable API key
// (usersig.Scheme.Headers.APIKey names it), under the same rules as the
// credential, and asks find for its Signer with the request's UserContext.
// A request with the header twice or longer than 1 KiB is refused with a
// *sighttp.FieldError; one without it, or whose key find knows nothing of
// (nil, nil), with sighttp.ErrUnknownSigner. find is a map's lookup, or a
// sighttp.SignerCache's Signer method for secrets kept in a database.
// LookupByHeader panics on an empty name or a nil find.
func LookupByHeader(name string, find func(ctx context.Context, key string) (*usersig.Signer, error)) func(*fiber.Ctx) (*usersig.Signer, error) {
	if name == "" {
		panic("fibersig: LookupByHeader with an empty header name")
	}
	if find == nil {
		panic("fibersig: LookupByHeader with a nil find")
	}
	names := usersig.Headers{Signature: name}
	return func(c *fiber.Ctx) (*usersig.Signer, error) {
		cred, err := sighttp.ReadCredential(headerValues(&c.Request().Header), names)
		if err != nil {
			if isUnsigned(err) {
				return nil, sighttp.ErrUnknownSigner
			}
			return nil, err
		}
		s, err := find(c.UserContext(), cred.Signature)
		if err == nil && s == nil {
			err = sighttp.ErrUnknownSigner
		}
		return s, err
	}
}
