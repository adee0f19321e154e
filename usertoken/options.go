package usertoken

import (
	"encoding/json"
	"fmt"
	"time"
)

// Defaults and bounds for the options.
const (
	// DefaultTTL is the lifetime of issued tokens unless [WithTTL] says
	// otherwise (Engagespot's and Knock's documented hour).
	DefaultTTL = time.Hour
	// MaxTTL is the longest lifetime [WithTTL] accepts.
	MaxTTL = 7 * 24 * time.Hour
	// MaxLeeway is the largest clock-skew allowance [WithLeeway] accepts.
	MaxLeeway = 5 * time.Minute
	// MaxTokenSize is the longest token, in bytes, that a Verifier parses
	// and that an Issuer produces.
	MaxTokenSize = 8 << 10
)

// role says which constructor an option is applied by.
type role int

const (
	roleIssuer role = iota + 1
	roleVerifier
)

// config collects option values for either constructor.
type config struct {
	role   role
	clock  func() time.Time
	ttl    time.Duration
	leeway time.Duration
	extra  map[string]json.RawMessage
}

// Option configures [NewIssuer] or [NewVerifier]. An option that does not
// apply to the constructor it is given to (for example [WithLeeway] to
// NewIssuer) makes the constructor fail with [ErrInvalidOption] rather than
// being silently ignored.
type Option func(*config) error

// WithClock sets the clock used for iat/exp when issuing and for exp/nbf
// checks when verifying. The default, chosen in the constructor, is
// time.Now. Inject a fixed clock in tests. Applies to both constructors;
// nil is refused.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return fmt.Errorf("%w: WithClock(nil)", ErrInvalidOption)
		}
		c.clock = now
		return nil
	}
}

// WithTTL sets the lifetime of issued tokens: exp = iat + ttl (exp = now +
// ttl for profiles without iat). Issuer only; 0 < ttl <= [MaxTTL];
// whole seconds (JWT times are seconds). Default [DefaultTTL]. Short
// lifetimes limit the damage of a leaked token: a bearer token cannot be
// revoked.
func WithTTL(ttl time.Duration) Option {
	return func(c *config) error {
		if c.role != roleIssuer {
			return fmt.Errorf("%w: WithTTL applies to NewIssuer only", ErrInvalidOption)
		}
		if ttl < time.Second || ttl > MaxTTL || ttl%time.Second != 0 {
			return fmt.Errorf("%w: TTL %v outside [1s, %v] or not whole seconds", ErrInvalidOption, ttl, MaxTTL)
		}
		c.ttl = ttl
		return nil
	}
}

// WithLeeway sets the clock-skew allowance applied to exp and nbf when
// verifying. Verifier only; 0 <= leeway <= [MaxLeeway]; default 0.
func WithLeeway(leeway time.Duration) Option {
	return func(c *config) error {
		if c.role != roleVerifier {
			return fmt.Errorf("%w: WithLeeway applies to NewVerifier only", ErrInvalidOption)
		}
		if leeway < 0 || leeway > MaxLeeway {
			return fmt.Errorf("%w: leeway %v outside [0, %v]", ErrInvalidOption, leeway, MaxLeeway)
		}
		c.leeway = leeway
		return nil
	}
}

// WithClaims adds extra signed claims to every token (Intercom's signed user
// fields such as email or name, Zendesk's name/email/email_verified). Issuer
// only. Values must marshal to JSON; the map is copied (marshalled) when the
// option is applied, so later changes to it have no effect. A claim the
// profile owns (its user-id claim, apiKey, scope, exp, iat, nbf) is refused
// with [ErrInvalidOption]: extra claims can never change who the token is
// for or how long it lives. Repeated WithClaims options merge.
//
// Security: claims are signed, not encrypted; anyone holding the token can
// read them.
func WithClaims(claims map[string]any) Option {
	return func(c *config) error {
		if c.role != roleIssuer {
			return fmt.Errorf("%w: WithClaims applies to NewIssuer only", ErrInvalidOption)
		}
		if c.extra == nil {
			c.extra = make(map[string]json.RawMessage, len(claims))
		}
		for name, v := range claims {
			if name == "" {
				return fmt.Errorf("%w: empty claim name", ErrInvalidOption)
			}
			raw, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("%w: claim %q does not marshal to JSON", ErrInvalidOption, name)
			}
			c.extra[name] = raw
		}
		return nil
	}
}

// newConfig applies opts for the given role over the defaults.
func newConfig(r role, opts []Option) (*config, error) {
	c := &config{role: r, ttl: DefaultTTL}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("%w: nil Option", ErrInvalidOption)
		}
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	return c, nil
}
