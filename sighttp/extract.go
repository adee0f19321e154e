package sighttp

import (
	"net/http"
	"net/textproto"
	"net/url"
	"strings"

	"github.com/usersig/usersig"
)

// maxFieldLen bounds every credential value a request may carry (user id,
// email, expiry text, signature): 1 KiB. The extractors refuse a longer value
// before anything else looks at it. Percent-encoded query values may take up
// to three times as many bytes on the wire.
const maxFieldLen = 1 << 10

// An Extractor reads the credential a request carries. When the request
// carries no signature it returns an error wrapping ErrNoSignature (or,
// equally, a zero Signature and a nil error): the middleware then answers
// 401, or lets the request through without an identity under
// WithUnsignedAllowed. Any other error — a field sent twice, or longer than
// the bound — is always answered 401.
//
// An extractor must not modify the request. FromHeaders, FromQuery and
// FromCookie cover the usual transports; write your own to read, say, the
// user id from a header and the signature from a cookie, and use
// ReadCredential in it to keep the same rules.
type Extractor func(r *http.Request) (usersig.Credential, error)

// ReadCredential applies the middleware's request rules to any carrier of
// named values — net/http or fasthttp headers, gRPC metadata — so that an
// adapter outside net/http refuses exactly what Middleware refuses.
//
// get returns every value the carrier holds under name, in any order (nil
// when there is none); it is called once for each non-empty field of names
// (UserID, Email, Expires, Signature; APIKey is ignored), with the name
// exactly as given there, so the caller decides how names match: net/http
// canonical keys, lower-case gRPC keys. A name sent more than once, or a
// value longer than 1 KiB, is refused with a *FieldError (Source "header")
// and a zero Credential, before any other field is looked at. When every
// field is usable but the signature is absent or empty, ReadCredential
// returns the fields it read and ErrNoSignature, which a report-only mode
// may let through as unsigned; no other error may be.
func ReadCredential(get func(name string) []string, names usersig.Headers) (usersig.Credential, error) {
	var c usersig.Credential
	var err error
	if c.UserID, err = readOne(get, names.UserID); err != nil {
		return usersig.Credential{}, err
	}
	if c.Email, err = readOne(get, names.Email); err != nil {
		return usersig.Credential{}, err
	}
	if c.Expires, err = readOne(get, names.Expires); err != nil {
		return usersig.Credential{}, err
	}
	if c.Signature, err = readOne(get, names.Signature); err != nil {
		return usersig.Credential{}, err
	}
	if c.Signature == "" {
		return c, ErrNoSignature
	}
	return c, nil
}

// readOne returns the one value of name, "" if it is absent or name is "",
// and a *FieldError if it is sent twice or is too long.
func readOne(get func(string) []string, name string) (string, error) {
	if name == "" {
		return "", nil
	}
	vs := get(name)
	switch {
	case len(vs) == 0:
		return "", nil
	case len(vs) > 1:
		return "", fieldError("header", name, reasonRepeated)
	case len(vs[0]) > maxFieldLen:
		return "", fieldError("header", name, reasonTooLong)
	}
	return vs[0], nil
}

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

func canonicalKey(name string) string {
	if name == "" {
		return ""
	}
	return textproto.CanonicalMIMEHeaderKey(name)
}

// FromHeaders reads the credential from the request headers named in h; an
// empty name is not read and APIKey is ignored. Names are matched without
// regard to case, as HTTP requires: they are canonicalised once, here, so
// the request's header map is indexed directly and nothing is allocated.
// It is ReadCredential over the request's headers: a header sent more than
// once, or longer than 1 KiB, is refused.
//
// This is the middleware's default transport, with the Signer's
// Scheme().Headers, or X-User-Id, X-User-Email, X-User-Expires and
// X-User-Signature for a scheme that names no signature header.
func FromHeaders(h usersig.Headers) Extractor {
	k := usersig.Headers{
		UserID:    canonicalKey(h.UserID),
		Email:     canonicalKey(h.Email),
		Expires:   canonicalKey(h.Expires),
		Signature: canonicalKey(h.Signature),
	}
	return func(r *http.Request) (usersig.Credential, error) {
		return ReadCredential(func(name string) []string { return r.Header[name] }, k)
	}
}

// field is one credential field an extractor looks for by name.
type field struct {
	name string
	dst  *string
	seen bool
}

func fieldsOf(names usersig.Headers, c *usersig.Credential) [4]field {
	return [4]field{{name: names.UserID, dst: &c.UserID}, {name: names.Email, dst: &c.Email},
		{name: names.Expires, dst: &c.Expires}, {name: names.Signature, dst: &c.Signature}}
}

// signed returns c, or ErrNoSignature when it has no signature, as
// ReadCredential does.
func signed(c usersig.Credential) (usersig.Credential, error) {
	if c.Signature == "" {
		return c, ErrNoSignature
	}
	return c, nil
}

// FromQuery reads the credential from the URL query parameters named by the
// fields of names (UserID, Email, Expires, Signature; an empty name is not
// read). Names are case-sensitive. A parameter sent more than once, longer
// than 1 KiB once decoded (3 KiB on the wire), or not valid
// percent-encoding is refused; as with URL.Query, a pair containing a ';' is
// ignored. No signature parameter, or an empty one, is ErrNoSignature.
//
// Standard base64 carries '+', which a query decodes as a space: the client
// must percent-encode it (encodeURIComponent), or use a Base64URL or Hex
// scheme. A signature in a URL also ends up in access logs and browser
// history; prefer headers.
func FromQuery(names usersig.Headers) Extractor {
	return func(r *http.Request) (usersig.Credential, error) {
		var c usersig.Credential
		fields := fieldsOf(names, &c)
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
				if f.seen {
					return usersig.Credential{}, fieldError("query", key, reasonRepeated)
				}
				f.seen = true
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
		return signed(c)
	}
}

// FromCookie reads the credential from the cookies named by the fields of
// names (UserID, Email, Expires, Signature; an empty name is not read).
//
// The Cookie header lines are split and trimmed the way net/http's
// Request.Cookies does (a part without '=' is a name with an empty value, a
// name that is not an HTTP token is skipped), and names are then compared
// case-sensitively. A cookie sent more than once — "uid=alice; uid=bob",
// "uid =bob; uid=alice", or one in each of two Cookie lines, which happens
// when another path or a sibling subdomain sets the same name, the way
// cookie-tossing attacks work — is refused, and so is one longer than
// 1 KiB or whose value holds a byte RFC 6265 forbids (net/http would drop
// such a cookie silently; refusing it keeps a tossed or garbled signature
// from passing as "unsigned"). A value may be double-quoted; base64
// signatures and plain ids are fine. No signature cookie, or an empty one,
// is ErrNoSignature.
func FromCookie(names usersig.Headers) Extractor {
	return func(r *http.Request) (usersig.Credential, error) {
		var c usersig.Credential
		fields := fieldsOf(names, &c)
		for _, line := range r.Header["Cookie"] {
			line = textproto.TrimString(line)
			for line != "" {
				var part string
				part, line, _ = strings.Cut(line, ";")
				part = textproto.TrimString(part)
				if part == "" {
					continue
				}
				name, value, _ := strings.Cut(part, "=")
				name = textproto.TrimString(name)
				if !isToken(name) {
					continue
				}
				for i := range fields {
					f := &fields[i]
					if f.name == "" || f.name != name {
						continue
					}
					if err := f.setCookie(value); err != nil {
						return usersig.Credential{}, err
					}
				}
			}
		}
		return signed(c)
	}
}

// setCookie checks and stores the raw value of the cookie f names.
func (f *field) setCookie(value string) error {
	if f.seen {
		return fieldError("cookie", f.name, reasonRepeated)
	}
	f.seen = true
	if len(value) > maxFieldLen+2 {
		return fieldError("cookie", f.name, reasonTooLong)
	}
	if len(value) >= 2 && value[0] == '"' && value[len(value)-1] == '"' {
		value = value[1 : len(value)-1]
	}
	if len(value) > maxFieldLen {
		return fieldError("cookie", f.name, reasonTooLong)
	}
	for i := 0; i < len(value); i++ {
		if b := value[i]; b < 0x20 || b >= 0x7f || b == '"' || b == ';' || b == '\\' {
			return fieldError("cookie", f.name, reasonCookieOctets)
		}
	}
	*f.dst = value
	return nil
}

// isToken reports whether s is an HTTP token (RFC 9110, section 5.6.2), the
// cookie names net/http accepts.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0:
		default:
			return false
		}
	}
	return true
}
