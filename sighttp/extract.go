package sighttp

import (
	"errors"
	"github.com/usersig/usersig"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
)

// maxFieldLen bounds every credential value a request may carry (user id,
// email, expiry text, signature): 1 KiB. The extractors refuse a longer value
// before anything else looks at it. Percent-encoded query values may take up
// to three times as many bytes on the wire.
const maxFieldLen = 1 << 10

// ErrMalformedCredential: a credential field in the request is sent more than
// once, is longer than 1 KiB, or cannot be decoded. The wrapping
// *FieldError says which field and why, never what it held.
var ErrMalformedCredential = errors.New("sighttp: malformed credential in request")

// A FieldError says which credential field of a request was
// refused and why. It wraps ErrMalformedCredential and never quotes the
// value, so it is safe to log.
type FieldError struct {
	Source string // "header", "query" or "cookie"
	Name   string // the header, query parameter or cookie name
	Reason string // e.g. "is sent more than once"
}

func (e *FieldError) Error() string {
	return "sighttp: malformed credential: " + e.Source + " " + strconv.Quote(e.Name) + " " + e.Reason
}

// Unwrap returns ErrMalformedCredential.
func (e *FieldError) Unwrap() error { return ErrMalformedCredential }

// The reasons of a FieldError.
const (
	reasonRepeated    = "is sent more than once"
	reasonTooLong     = "is longer than 1024 bytes"
	reasonUndecodable = "is not valid percent-encoding"
)

func fieldError(source, name, reason string) error {
	return &FieldError{Source: source, Name: name, Reason: reason}
}

// A Extractor reads the credential a request carries. It returns a
// zero Signature when the request carries none (the middleware then answers
// 401, or lets the request through without an identity under
// WithUnsignedAllowed) and an error when the request is unusable — a field
// sent twice, or longer than the bound — which is always answered 401.
//
// An extractor must not modify the request. FromHeaders, FromQuery and
// FromCookie cover the usual transports; write your own to read, say, the
// user id from a header and the signature from a cookie.
type Extractor func(r *http.Request) (usersig.Credential, error)

// defaultHeaders are the headers read for a scheme whose vendor sends none.
var defaultHeaders = usersig.Headers{
	UserID:    "X-User-Id",
	Email:     "X-User-Email",
	Expires:   "X-User-Expires",
	Signature: "X-User-Signature",
}

// requestHeaders is where the middleware looks for a credential by default:
// the scheme's own headers if it names a signature header, else
// defaultHeaders.
func requestHeaders(sc usersig.Scheme) usersig.Headers {
	if sc.Headers.Signature != "" {
		return sc.Headers
	}
	return defaultHeaders
}

// headerKeys are header names in canonical form, computed once, so that the
// request's header map is indexed directly and nothing is allocated.
type headerKeys struct {
	userID, email, expires, signature string
}

func newHeaderKeys(h usersig.Headers) *headerKeys {
	return &headerKeys{
		userID:    canonicalKey(h.UserID),
		email:     canonicalKey(h.Email),
		expires:   canonicalKey(h.Expires),
		signature: canonicalKey(h.Signature),
	}
}

func canonicalKey(name string) string {
	if name == "" {
		return ""
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

func (k *headerKeys) extract(h http.Header) (usersig.Credential, error) {
	var c usersig.Credential
	var err error
	if c.UserID, err = headerValue(h, k.userID); err != nil {
		return usersig.Credential{}, err
	}
	if c.Email, err = headerValue(h, k.email); err != nil {
		return usersig.Credential{}, err
	}
	if c.Expires, err = headerValue(h, k.expires); err != nil {
		return usersig.Credential{}, err
	}
	if c.Signature, err = headerValue(h, k.signature); err != nil {
		return usersig.Credential{}, err
	}
	return c, nil
}

// headerValue returns the one value of the canonical header key, "" if it is
// absent or key is "", and an error if it is sent twice or is too long.
func headerValue(h http.Header, key string) (string, error) {
	if key == "" {
		return "", nil
	}
	vs := h[key]
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", fieldError("header", key, reasonRepeated)
	case len(vs[0]) > maxFieldLen:
		return "", fieldError("header", key, reasonTooLong)
	}
	return vs[0], nil
}

// FromHeaders reads the credential from the request headers named in h; an
// empty name is not read and APIKey is ignored. Names are matched without
// regard to case, as HTTP requires (they are canonicalised once, here). A
// header sent more than once, or longer than 1 KiB, is refused.
//
// This is the middleware's default transport, with the usersig.Signer's
// usersig.Scheme().Headers, or X-User-Id, X-User-Email, X-User-Expires and
// X-User-Signature for a scheme that names no signature header.
func FromHeaders(h usersig.Headers) Extractor {
	k := newHeaderKeys(h)
	return func(r *http.Request) (usersig.Credential, error) { return k.extract(r.Header) }
}

// FromQuery reads the credential from the URL query parameters named by the
// fields of names (UserID, Email, Expires, Signature; an empty name is not
// read). Names are case-sensitive. A parameter sent more than once, longer
// than 1 KiB once decoded (3 KiB on the wire), or not valid
// percent-encoding is refused; as with URL.Query, a pair containing a ';' is
// ignored.
//
// Standard base64 carries '+', which a query decodes as a space: the client
// must percent-encode it (encodeURIComponent), or use a Base64URL or Hex
// scheme. A signature in a URL also ends up in access logs and browser
// history; prefer headers.
func FromQuery(names usersig.Headers) Extractor {
	n := names
	return func(r *http.Request) (usersig.Credential, error) {
		var c usersig.Credential
		seen := [4]bool{}
		fields := [4]struct {
			name string
			dst  *string
		}{{n.UserID, &c.UserID}, {n.Email, &c.Email}, {n.Expires, &c.Expires}, {n.Signature, &c.Signature}}
		query := r.URL.RawQuery
		for query != "" {
			var pair string
			pair, query, _ = strings.Cut(query, "&")
			if pair == "" || strings.Contains(pair, ";") {
				continue
			}
			rawKey, rawValue, _ := strings.Cut(pair, "=")
			if len(rawKey) > 3*maxFieldLen {
				continue // longer than any name we look for
			}
			key, err := url.QueryUnescape(rawKey)
			if err != nil {
				continue
			}
			for i := range fields {
				f := &fields[i]
				if f.name == "" || f.name != key {
					continue
				}
				if seen[i] {
					return usersig.Credential{}, fieldError("query", key, reasonRepeated)
				}
				seen[i] = true
				if len(rawValue) > 3*maxFieldLen {
					return usersig.Credential{}, fieldError("query", key, reasonTooLong)
				}
				v, err := url.QueryUnescape(rawValue)
				if err != nil {
					return usersig.Credential{}, fieldError("query", key, reasonUndecodable)
				}
				if len(v) > maxFieldLen {
					return usersig.Credential{}, fieldError("query", key, reasonTooLong)
				}
				*f.dst = v
			}
		}
		return c, nil
	}
}

// FromCookie reads the credential from the cookies named by the fields of
// names (UserID, Email, Expires, Signature; an empty name is not read).
// Names are case-sensitive. A cookie sent more than once — which happens
// when another path or a sibling subdomain sets the same name, the way
// cookie-tossing attacks work — or longer than 1 KiB is refused. Cookie
// values cannot hold every byte: base64 signatures and plain ids are fine,
// and a value may be double-quoted.
func FromCookie(names usersig.Headers) Extractor {
	n := names
	return func(r *http.Request) (usersig.Credential, error) {
		var c usersig.Credential
		fields := [4]struct {
			name string
			dst  *string
		}{{n.UserID, &c.UserID}, {n.Email, &c.Email}, {n.Expires, &c.Expires}, {n.Signature, &c.Signature}}
		seen := [4]bool{}
		for _, line := range r.Header["Cookie"] {
			for line != "" {
				var part string
				part, line, _ = strings.Cut(line, ";")
				name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
				if !ok {
					continue
				}
				for i := range fields {
					f := &fields[i]
					if f.name == "" || f.name != name {
						continue
					}
					if seen[i] {
						return usersig.Credential{}, fieldError("cookie", name, reasonRepeated)
					}
					seen[i] = true
					if len(value) > maxFieldLen+2 {
						return usersig.Credential{}, fieldError("cookie", name, reasonTooLong)
					}
					if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
						value = value[1 : len(value)-1]
					}
					if len(value) > maxFieldLen {
						return usersig.Credential{}, fieldError("cookie", name, reasonTooLong)
					}
					*f.dst = value
				}
			}
		}
		return c, nil
	}
}
