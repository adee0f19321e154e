// Package tenants is a tenant secret store for a service that verifies
// usersig signatures for many tenants on many instances: PostgreSQL (pgx)
// for a fleet, SQLite (modernc.org/sqlite, pure Go) on one machine, one API.
//
// # A replica, not a cache
//
// Each Store, once started (Store.Start), holds every tenant as a ready
// *usersig.Signer in memory, loaded by one snapshot query and kept current
// by a change feed: LISTEN/NOTIFY raised by a trigger on PostgreSQL,
// polling of the version column on SQLite. Store.Signer is a lock-free map
// read with no allocation; an unknown key is ErrUnknownTenant (wrapping
// sighttp.ErrUnknownSigner, so a 401 unknown-signer) without a query, so a
// flood of junk keys costs the database nothing. Every write renews the
// tenant row's version from one sequence, in commit order, and a replica
// applies WHERE version > last applied: after a lost connection it catches
// up with nothing missed, nothing applied twice, nothing out of order.
// While the database is unreachable it serves the last state it had and
// says so (a log line, Store.Health); an unknown key is never let through.
//
// # Rotation and revocation as data
//
// A tenant has one current secret and previous secrets, each with a
// not_after. Store.Rotate returns a new 32-byte random secret once and
// keeps the old one verifying until now + overlap, when it stops by itself
// (usersig.WithRetiringSecret; no write needed); Store.Revoke stops a secret
// at once. Store.SecretID maps the secret index a verification reports
// (usersig.Signer.AuthenticateSecret, sighttp.Decision.Secret) to the
// secret's id, so operators see when every client has moved. The scheme
// (a usersig preset name) and the Signer options are columns.
//
// # Sealed at rest
//
// Secrets are sealed with AES-256-GCM under a data key, with the tenant key
// and the secret id as associated data, so a row copied to another tenant
// does not open; data keys are wrapped by a KEK (LocalKEK here, a
// gocloud.dev/secrets keeper in contrib/cloudkek). A row that does not open
// refuses that tenant alone, logged with its key. A data key the database
// or the KEK could not be asked for (a KMS outage at start) refuses its
// tenants only until it opens: the replica reads them again, backing off
// from one second to a minute, with one KEK call per data key per read.
// Store.Rewrap re-seals
// every row under a new data key and KEK while instances keep serving.
//
// # Use with sighttp
//
//	st, err := tenants.Open(ctx, "tenants.db", tenants.Options{KEK: kek})
//	...
//	err = st.Start(ctx)
//	mw := sighttp.Middleware(nil, sighttp.WithTenantLookup("X-Api-Key", st))
//
// A Store is a sighttp.SignerSource, so the same line works in every
// transport sighttp's Gate serves (gin, echo, fiber, gRPC).
//
// The schema, the rotation story and measured figures are in the README's
// "Many tenants" section.
package tenants
