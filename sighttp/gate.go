package sighttp

import (
	"context"
	"errors"
	"net/http"
	"sync"

	"github.com/usersig/usersig"
)

// maxCachedExtractors bounds the default extractors a Gate keeps per header
// set when each request's Signer is looked up.
const maxCachedExtractors = 64

// errHTTPOnly is what Check refuses every request with when the Gate needs
// an *http.Request to decide (see Gate.HTTPOnly).
var errHTTPOnly = errors.New("sighttp: the Gate's extractor or signer lookup reads an *http.Request; use WithHeaders and WithTenantLookup outside net/http")

// A Gate is the one verification decision: every adapter — Middleware,
// contrib/ginsig, echosig, fibersig, grpcsig — is a thin shell that hands
// it a request and answers what it decides, so they all refuse exactly the
// same requests, log the same reason words and report the same Decisions.
//
// For each request it finds the Signer (the one given to NewGate, or a
// lookup's), reads the credential with ReadCredential's rules, verifies it
// with Signer.AuthenticateSecret, applies report-only mode and nesting
// (WithUnsignedAllowed), logs (WithLogger) and calls the Observer
// (WithObserver) exactly once. A Gate is safe for concurrent use.
type Gate struct {
	config
	signer *usersig.Signer // nil under a lookup
	// httpExtract is what Middleware reads a request with: WithExtractor's,
	// or FromHeaders of WithHeaders' names or of the fixed Signer's scheme;
	// nil when each request's scheme decides (see extractorFor).
	httpExtract Extractor

	mu    sync.RWMutex
	byHdr map[usersig.Headers]Extractor // Middleware's default extractors under a lookup
}

// NewGate returns the decision configured by opts for s; the options and
// the panics are Middleware's: s may be nil only with WithSignerLookup or
// WithTenantLookup, and a nil option, or conflicting ones (two lookups,
// WithExtractor with WithHeaders), panic.
func NewGate(s *usersig.Signer, opts ...Option) *Gate {
	var cfg config
	for _, opt := range opts {
		if opt == nil {
			panic("sighttp: nil Option")
		}
		opt(&cfg)
	}
	switch {
	case cfg.lookup != nil && cfg.tenant != nil:
		panic("sighttp: WithSignerLookup and WithTenantLookup together")
	case cfg.extract != nil && cfg.headersSet:
		panic("sighttp: WithExtractor and WithHeaders together")
	case cfg.lookup == nil && cfg.tenant == nil && s == nil:
		panic("sighttp: a Gate needs a Signer, WithSignerLookup or WithTenantLookup")
	}
	g := &Gate{config: cfg, signer: s}
	if g.onError == nil {
		g.onError = DefaultErrorHandler
	}
	if cfg.lookup != nil || cfg.tenant != nil {
		g.signer = nil
	}
	switch {
	case g.extract != nil:
		g.httpExtract = g.extract
	case g.headersSet:
		g.httpExtract = FromHeaders(g.headers)
	case g.signer != nil:
		g.httpExtract = FromHeaders(requestHeaders(g.signer.Scheme()))
	}
	return g
}

// HTTPOnly reports whether the Gate reads an *http.Request to decide, as
// WithExtractor and WithSignerLookup do: such a Gate works under
// Middleware, and Check refuses every request (reason "error"). Adapters
// outside net/http panic when built with one, so the mistake shows at
// start-up.
func (g *Gate) HTTPOnly() bool {
	return g.lookup != nil || g.extract != nil
}

// A Request is what a Gate reads of one request, whatever its transport.
type Request struct {
	// Header returns every value the request carries under a field name,
	// in any order, nil when there is none, as ReadCredential's get does:
	// the carrier decides how names match (HTTP headers without regard to
	// case, gRPC metadata in lower case). The strings may be lent for the
	// request only (fasthttp's): the Gate copies what it keeps.
	Header func(name string) []string
	// Method and Path are logged with a refusal (WithLogger): the HTTP
	// method and URL path, or for gRPC "POST" and the full method name, as
	// on the wire.
	Method, Path string
}

// Check decides one request; ctx is the request's context (never nil). On
// acceptance it returns ctx carrying the
// verified identity (for IdentityFromContext) and a nil error; under
// WithUnsignedAllowed an unsigned request gets ctx without any identity (an
// outer one hidden) and a nil error. Otherwise it returns ctx unchanged and
// the refusal: an error wrapping ErrNoSignature, ErrMalformedCredential,
// ErrUnknownSigner, one of the core's errors, or your source's, whose word
// Reason gives. The adapter answers a refusal with its transport's fixed
// answer (UnauthorizedBody, codes.Unauthenticated), never with err.Error().
func (g *Gate) Check(ctx context.Context, req Request) (context.Context, error) {
	if req.Header == nil {
		req.Header = noValues
	}
	return g.decide(ctx, &req, nil)
}

// noValues is the carrier of a Request without one: it holds nothing, so
// the request is unsigned.
func noValues(string) []string { return nil }

// decide is Check, and under Middleware (r != nil) reads r with the
// options that need it.
func (g *Gate) decide(ctx context.Context, req *Request, r *http.Request) (context.Context, error) {
	d := Decision{Secret: -1}
	s, err := g.signerFor(ctx, req, r, &d)
	if err != nil {
		return ctx, g.refuse(ctx, req, nil, &d, err)
	}
	d.Scheme = s.Scheme().Name
	c, err := g.read(req, r, s)
	if err == nil && c.Signature == "" {
		err = ErrNoSignature
	}
	if err != nil {
		if g.unsignedPasses && errors.Is(err, ErrNoSignature) {
			d.Outcome, d.Reason = Unsigned, ReasonUnsigned
			g.log(ctx, req, s, MsgUnsigned, ReasonUnsigned, nil)
			g.report(ctx, &d)
			return withoutIdentity(ctx), nil
		}
		return ctx, g.refuse(ctx, req, s, &d, err)
	}
	id, secret, err := s.AuthenticateSecret(c)
	if err != nil {
		return ctx, g.refuse(ctx, req, s, &d, err)
	}
	d.Outcome, d.Secret = Accepted, secret
	if secret > 0 {
		g.logPrevious(ctx, req, s, &d)
	}
	g.report(ctx, &d)
	return withIdentity(ctx, id), nil
}

// signerFor returns the Signer for the request, and puts the tenant key in
// d when a tenant lookup found one.
func (g *Gate) signerFor(ctx context.Context, req *Request, r *http.Request, d *Decision) (*usersig.Signer, error) {
	switch {
	case g.tenant != nil:
		get, name := req.Header, g.tenant.field
		if r != nil {
			get, name = func(n string) []string { return r.Header[n] }, g.tenant.httpKey
		}
		s, key, err := g.tenant.signer(ctx, get, name)
		d.Tenant = key
		return s, err
	case g.lookup != nil:
		if r == nil {
			return nil, errHTTPOnly
		}
		s, err := g.lookup(r)
		if err == nil && s == nil {
			err = ErrUnknownSigner
		}
		return s, err
	}
	return g.signer, nil
}

// read reads the credential for s.
func (g *Gate) read(req *Request, r *http.Request, s *usersig.Signer) (usersig.Credential, error) {
	if r != nil {
		extract := g.httpExtract
		if extract == nil {
			extract = g.extractorFor(s.Scheme())
		}
		return extract(r)
	}
	if g.extract != nil {
		return usersig.Credential{}, errHTTPOnly
	}
	names := g.headers
	if !g.headersSet {
		names = requestHeaders(s.Scheme())
	}
	return ReadCredential(req.Header, names)
}

// extractorFor returns Middleware's default extractor for sc, made once
// per header set and cached (up to maxCachedExtractors sets).
func (g *Gate) extractorFor(sc usersig.Scheme) Extractor {
	g.mu.RLock()
	e := g.byHdr[sc.Headers]
	g.mu.RUnlock()
	if e != nil {
		return e
	}
	e = FromHeaders(requestHeaders(sc))
	g.mu.Lock()
	if g.byHdr == nil {
		g.byHdr = make(map[usersig.Headers]Extractor)
	}
	if len(g.byHdr) < maxCachedExtractors {
		g.byHdr[sc.Headers] = e
	}
	g.mu.Unlock()
	return e
}

// refuse logs and reports a refusal, and returns err.
func (g *Gate) refuse(ctx context.Context, req *Request, s *usersig.Signer, d *Decision, err error) error {
	reason := Reason(err)
	g.log(ctx, req, s, MsgRejected, reason, err)
	d.Outcome, d.Reason = Rejected, reason
	g.report(ctx, d)
	return err
}

func (g *Gate) report(ctx context.Context, d *Decision) {
	if g.observe != nil {
		g.observe(ctx, *d)
	}
}
