// Package sighttp puts a [usersig.Signer] behind net/http: a middleware that
// lets a request through only with a valid signature of the identity it
// claims, and a handler that mints that signature for your own front end.
//
// The middleware answers every failure with the same 401 and calls the next
// handler only with a verified identity in the request's context:
//
//	signer, err := usersig.New(usersig.Proficient(), secret)
//	api := sighttp.Middleware(signer)(inbox)
//	// in inbox:
//	id, _ := sighttp.IdentityFromContext(r.Context())
//
// # Verifying requests
//
// [Middleware] reads the credential with an [Extractor], verifies it with
// [usersig.Signer.Authenticate], and stores only the fields the signature
// covers; [IdentityFromContext] reads them back. By default the credential
// comes from the scheme's own headers; [WithExtractor] takes
// [FromHeaders], [FromQuery], [FromCookie] or a function of your own.
// [ReadCredential] holds the request rules (a field sent twice, a value
// over 1 KiB, no signature) for any carrier of named values, so that an
// adapter for another framework or for gRPC metadata refuses exactly what
// the middleware refuses.
//
// # One decision for every transport
//
// [Gate] is the decision itself: [NewGate] takes Middleware's options, and
// [Gate.Check] decides one request read through any carrier of named values
// (a [Request]). Middleware ([Gate.Handler]), contrib/ginsig, echosig,
// fibersig and grpcsig are thin shells over it, so every transport refuses
// the same requests with the same reason words. An adapter of your own
// answers a refusal with its transport's fixed answer ([UnauthorizedBody]
// for HTTP) and passes the suite in package sighttptest.
//
// # Many tenants
//
// A service that verifies for many projects, each with its own secret,
// picks the Signer per request by a tenant key with [WithTenantLookup] and
// a [SignerSource] — a [SignerCache] over your database, or a fixed
// [SignerMap] — in every transport. [WithSignerLookup] and
// [SignersByHeader] are the net/http-only forms. The cache's own refusals
// are [ErrRateLimited] and [ErrLoadTimeout]; a failed load wraps
// [ErrLoadFailed]; [SignerCache.Invalidate] pushes a rotated key.
//
// # Observing
//
// [WithObserver] is called once per decision with a [Decision]: outcome,
// reason word, scheme, tenant key and which secret matched, never a
// credential value (contrib/otelsig makes metrics of it).
//
// # Rolling out
//
// [WithUnsignedAllowed] is the report-only mode: requests that carry no
// signature pass without an identity, while a wrong signature is still
// refused. [WithLogger] records each refusal (and each unsigned pass) with a
// reason word (the Reason… constants) and never a credential value.
//
// # Errors
//
// [DefaultErrorHandler] answers 401 with {"error":"unauthorized"} whatever
// failed; [WithErrorHandler] replaces it and receives an error that wraps
// [ErrNoSignature], [ErrMalformedCredential] (with a [*FieldError]),
// [ErrUnknownSigner] or one of the core's errors such as
// [usersig.ErrInvalidSignature]. Never send err.Error() to a client.
//
// # CORS
//
// A browser's CORS preflight carries no credentials by design, so the
// middleware refuses it. Mount a CORS handler (github.com/rs/cors, or a few
// lines of the standard library) outside the middleware; see [Middleware].
//
// # Minting
//
// [MintHandler] answers your logged-in user's signature as JSON, for the
// page that hands it to the vendor's widget.
package sighttp
