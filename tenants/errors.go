package tenants

import (
	"errors"
	"fmt"

	"github.com/usersig/usersig/sighttp"
)

// Errors. Every error the package returns wraps one of these (or a
// usersig error for a secret or option a Signer refuses), so errors.Is
// works; none of them ever holds a secret.
var (
	// ErrUnknownTenant: Signer was asked for a key the replica does not
	// hold. It wraps sighttp.ErrUnknownSigner, so sighttp answers 401
	// unknown-signer. No query is made for it.
	ErrUnknownTenant = fmt.Errorf("tenants: unknown tenant: %w", sighttp.ErrUnknownSigner)

	// ErrTenantUnavailable: the tenant exists but cannot verify: its
	// sealed secret did not open (wrong KEK, a tampered or swapped row),
	// or it has no live secret (its current secret was revoked). It wraps
	// sighttp.ErrUnknownSigner, so the tenant is refused 401 while every
	// other tenant is served.
	ErrTenantUnavailable = fmt.Errorf("tenants: tenant cannot verify: %w", sighttp.ErrUnknownSigner)

	// ErrNotStarted: Signer was called before Start loaded the snapshot.
	ErrNotStarted = fmt.Errorf("tenants: replica not started: %w", sighttp.ErrUnknownSigner)

	// ErrUnreachable: Open could not reach the database.
	ErrUnreachable = errors.New("tenants: database unreachable")

	// ErrNoSchema: the database has no usersig tables; run Migrate
	// (usersig tenants init).
	ErrNoSchema = errors.New("tenants: no tenant schema in the database (run usersig tenants init)")

	// ErrDuplicateTenant: Add or Import was given a key that exists.
	ErrDuplicateTenant = errors.New("tenants: tenant key already exists")

	// ErrNoSuchTenant: a write named a tenant key that does not exist.
	ErrNoSuchTenant = errors.New("tenants: no such tenant")

	// ErrNoSuchSecret: Revoke named a secret id the tenant does not have.
	ErrNoSuchSecret = errors.New("tenants: no such secret")

	// ErrUnknownScheme: a tenant's scheme name is not a usersig preset
	// (usersig.LookupScheme).
	ErrUnknownScheme = errors.New("tenants: unknown scheme name")

	// ErrInvalidTenant: a tenant key or option is out of bounds (an empty
	// or over-long key, a negative leeway or overlap).
	ErrInvalidTenant = errors.New("tenants: invalid tenant")

	// ErrKEKSize: a local KEK is not exactly 32 bytes.
	ErrKEKSize = errors.New("tenants: key-encryption key must be 32 bytes (AES-256)")

	// ErrNoKEK: an operation that seals or opens secrets was called on a
	// Store opened without a KEK, or a row names a KEK the Store lacks.
	ErrNoKEK = errors.New("tenants: no key-encryption key for this operation")

	// ErrSealed: a sealed secret or data key did not open: the wrong KEK,
	// or a row that was tampered with or copied to another tenant.
	ErrSealed = errors.New("tenants: sealed secret does not open")
)

// errStartedTwice: Start was called on a started Store (a programming error).
var errStartedTwice = errors.New("tenants: Start called twice")
