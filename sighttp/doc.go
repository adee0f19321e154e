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
// # Many tenants
//
// A service that verifies for many projects, each with its own secret,
// picks the Signer per request with [WithSignerLookup]; [SignersByHeader]
// builds the lookup from a map keyed by an API key header, and
// [CachedLookup] (or [CacheLookup] over a [SignerCache] you hold, to
// [SignerCache.Invalidate] a rotated key) from a loader of your own, such as
// a database query. The cache's own refusals are [ErrRateLimited] and
// [ErrLoadTimeout]; a failed load wraps [ErrLoadFailed].
//
// # Rolling out
//
// [WithUnsignedAllowed] is the report-only mode: requests that carry no
// signature pass without an identity, while a wrong signature is still
// refused. [WithLogger] records each refusal (and each unsigned pass) with a
// reason word and never a credential value.
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
