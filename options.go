package usersig

import (
	"fmt"
	"time"
)

// An Option configures a Signer. Options are applied in order by New, which
// refuses a nil or bad one with an error wrapping ErrInvalidOption (or the
// secret errors for WithPreviousSecrets).
type Option func(*settings) error

type settings struct {
	previous          [][]byte
	previousNotAfter  []time.Time // by previous secret; the zero time: no deadline
	now               func() time.Time
	leeway            time.Duration
	allowShortSecrets bool
	expiryRequired    bool
	freshness         time.Duration
	useHMAC           bool // withHMACOnly
}

// WithPreviousSecrets adds secrets that Verify still accepts while a new one
// is rolled out; Sign always uses the secret given to New. Verification
// computes the MAC under every secret, in order, with no early exit, so its
// timing does not reveal which secret matched; each extra secret costs one
// more HMAC per Verify. Each secret is copied and checked like the current
// one. Default: none.
func WithPreviousSecrets(secrets ...[]byte) Option {
	return func(s *settings) error {
		for _, secret := range secrets {
			s.previous = append(s.previous, append([]byte(nil), secret...))
			s.previousNotAfter = append(s.previousNotAfter, time.Time{})
		}
		return nil
	}
}

// WithRetiringSecret adds a previous secret that verifies only before
// notAfter, on the Signer's clock (WithClock): at that instant it stops by
// itself, with no new Signer needed, which is how a rotation's overlap ends.
// The leeway does not extend it. It is otherwise a previous secret like
// those of WithPreviousSecrets, and is numbered with them, in the order the
// options add them (see Signer.AuthenticateSecret). A zero notAfter is
// refused (ErrInvalidOption): use WithPreviousSecrets for a secret with no
// deadline.
func WithRetiringSecret(secret []byte, notAfter time.Time) Option {
	return func(s *settings) error {
		if notAfter.IsZero() {
			return fmt.Errorf("%w: WithRetiringSecret with a zero not-after time", errInvalidOption)
		}
		s.previous = append(s.previous, append([]byte(nil), secret...))
		s.previousNotAfter = append(s.previousNotAfter, notAfter)
		return nil
	}
}

// deadlines is the Signer's notAfter: every secret's deadline by index (the
// current secret, index 0, has none), or nil when no secret has one, so a
// Signer without retiring secrets never reads the clock to match.
func (s *settings) deadlines() []time.Time {
	for _, t := range s.previousNotAfter {
		if !t.IsZero() {
			return append([]time.Time{{}}, s.previousNotAfter...)
		}
	}
	return nil
}

// WithClock sets the function Verify asks for the current time when it
// checks an expiry, for tests and for services with their own clock source.
// Default: time.Now, read when Verify runs. A nil clock is refused.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return fmt.Errorf("%w: WithClock(nil)", errInvalidOption)
		}
		s.now = now
		return nil
	}
}

// MaxLeeway is the largest leeway WithLeeway accepts: 5 minutes, the clock
// skew Kerberos tolerates by default (MIT krb5's clockskew, Active
// Directory's maximum tolerance for computer clock synchronization) and the
// bound package usertoken applies to its tokens. Hosts kept by NTP differ by far less; a larger
// allowance no longer absorbs skew but extends the life of every signature,
// so lengthen the expiry you sign instead.
const MaxLeeway = 5 * time.Minute

// WithLeeway lets an identity verify for d after its ExpiresAt, to absorb
// clock skew between the signer and the verifier: an identity is expired when
// now >= ExpiresAt + d. Default: 0. A negative leeway or one above
// MaxLeeway is refused (ErrInvalidOption): keep it small (seconds to a few
// minutes), since it extends every signature's life.
func WithLeeway(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 || d > MaxLeeway {
			return fmt.Errorf("%w: WithLeeway(%v) outside [0, %v]", errInvalidOption, d, MaxLeeway)
		}
		s.leeway = d
		return nil
	}
}

// WithShortSecretsAllowed accepts secrets shorter than MinSecretLen bytes
// (but never empty ones).
//
// New refuses short secrets by default because an HMAC is only as strong as
// its key: a short or human-chosen secret can be brute-forced offline from a
// single signature the front end sees. Allow them only where you do not pick
// the secret — a vendor that issued a short one — or for known-answer tests
// such as the vendors' published samples keyed with "secret".
func WithShortSecretsAllowed() Option {
	return func(s *settings) error {
		s.allowShortSecrets = true
		return nil
	}
}

// WithExpiryRequired makes every signature carry an expiry: Sign, Issue and
// SignCredential refuse an identity without one, and Verify,
// VerifyCredential and Authenticate refuse a credential without one, all
// with ErrInvalidExpiry. Default: an expiry is optional.
//
// Use it with UserIDExpiry (Product Fruits) whenever users can choose ids
// that end in date-like text. The format joins id and expiry with no
// separator and an absent expiry signs nothing, so an expiry-less signature
// for id "alice2099-01-01T00:00:00.000Z" also verifies as id "alice" expiring
// in 2099, and an expired credential for "alice" verifies, without expiry,
// as an id with the date glued on. Requiring an expiry closes both: no
// readable expiry text ends in another readable expiry text.
//
// New refuses the option (ErrInvalidOption) for a scheme whose message does
// not sign the expiry (anything but UserIDExpiry, Framed, or a Composer of
// your own that signs it): there a client could attach any expiry it likes
// to a signature made without one, so the option would promise nothing.
func WithExpiryRequired() Option {
	return func(s *settings) error {
		s.expiryRequired = true
		return nil
	}
}

// WithFreshness sets how long a timestamped signature (UserIDTimestamp,
// the Chameleon preset) verifies after the signing time it carries:
// Verify refuses it with ErrExpired once now >= signing time + d + leeway,
// and with ErrIssuedInFuture while the signing time is after now + leeway.
// Both read the Signer's clock (WithClock). Default: DefaultFreshness (24
// hours). A d <= 0 or above MaxFreshness (30 days) is refused, and so is the option for a scheme whose
// signatures carry no signing time (ErrInvalidOption), where it could
// bound nothing.
func WithFreshness(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 || d > MaxFreshness {
			return fmt.Errorf("%w: WithFreshness wants a duration above 0 and at most MaxFreshness (30 days)", errInvalidOption)
		}
		s.freshness = d
		return nil
	}
}
