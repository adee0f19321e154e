package usertoken

import (
	"bytes"
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
	// MaxKeys is the most keys a Verifier holds: the current one and up to
	// MaxKeys-1 previous ones. Each key can cost one signature check per
	// token, so the number is bounded.
	MaxKeys = 8
	// MaxKeyIDLen bounds a key id ([WithKeyID], [WithPreviousKey]).
	MaxKeyIDLen = 256
)

// The option types. [NewIssuer] takes IssuerOptions and [NewVerifier]
// VerifierOptions, so an option given to the wrong constructor does not
// compile (golang-jwt's TokenOption and ParserOption split the same way).
// The two options that apply to both, [WithClock] and [WithKeyID], return
// an [Option], which is both.
type (
	// IssuerOption configures [NewIssuer]: [WithClock], [WithKeyID],
	// [WithTTL], [WithClaims].
	IssuerOption interface {
		applyIssuer(*issuerConfig) error
	}
	// VerifierOption configures [NewVerifier]: [WithClock], [WithKeyID],
	// [WithLeeway], [WithPreviousKeys], [WithPreviousKey].
	VerifierOption interface {
		applyVerifier(*verifierConfig) error
	}
	// Option is an option for both constructors.
	Option interface {
		IssuerOption
		VerifierOption
	}
)

// sharedConfig holds the settings both constructors take.
type sharedConfig struct {
	clock func() time.Time
	kid   string
}

type issuerConfig struct {
	sharedConfig
	ttl   time.Duration
	extra map[string]json.RawMessage
}

type verifierConfig struct {
	sharedConfig
	leeway   time.Duration
	previous []previousKey
}

// previousKey is a key given by WithPreviousKeys (id "") or WithPreviousKey.
type previousKey struct {
	id  string
	key []byte // private copy
}

type (
	sharedOption   func(*sharedConfig) error
	issuerOption   func(*issuerConfig) error
	verifierOption func(*verifierConfig) error
)

func (o sharedOption) applyIssuer(c *issuerConfig) error     { return o(&c.sharedConfig) }
func (o sharedOption) applyVerifier(c *verifierConfig) error { return o(&c.sharedConfig) }
func (o issuerOption) applyIssuer(c *issuerConfig) error     { return o(c) }
func (o verifierOption) applyVerifier(c *verifierConfig) error {
	return o(c)
}

// WithClock sets the clock used for iat/exp when issuing and for exp/nbf
// checks when verifying. The default, chosen in the constructor, is
// time.Now. Inject a fixed clock in tests. Applies to both constructors;
// nil is refused.
func WithClock(now func() time.Time) Option {
	return sharedOption(func(c *sharedConfig) error {
		if now == nil {
			return fmt.Errorf("%w: WithClock(nil)", ErrInvalidOption)
		}
		c.clock = now
		return nil
	})
}

// WithTTL sets the lifetime of issued tokens: exp = iat + ttl (exp = now +
// ttl for profiles without iat; UserVoice's expires text says the same
// instant). 0 < ttl <= [MaxTTL]; whole seconds (JWT times are seconds).
// Default [DefaultTTL]. Short lifetimes limit the damage of a leaked token:
// a bearer token cannot be revoked.
func WithTTL(ttl time.Duration) IssuerOption {
	return issuerOption(func(c *issuerConfig) error {
		if ttl < time.Second || ttl > MaxTTL || ttl%time.Second != 0 {
			return fmt.Errorf("%w: TTL %v outside [1s, %v] or not whole seconds", ErrInvalidOption, ttl, MaxTTL)
		}
		c.ttl = ttl
		return nil
	})
}

// WithLeeway sets the clock-skew allowance applied to exp, nbf and iat when
// verifying. 0 <= leeway <= [MaxLeeway]; default 0.
func WithLeeway(leeway time.Duration) VerifierOption {
	return verifierOption(func(c *verifierConfig) error {
		if leeway < 0 || leeway > MaxLeeway {
			return fmt.Errorf("%w: leeway %v outside [0, %v]", ErrInvalidOption, leeway, MaxLeeway)
		}
		c.leeway = leeway
		return nil
	})
}

// WithClaims adds extra signed claims to every token (Intercom's signed user
// fields such as email or name, Zendesk's name/email/email_verified). Values
// must marshal to JSON; the map is copied (marshalled) when the option is
// applied, so later changes to it have no effect. A claim the profile owns
// (its user-id claim, the fields of [Claims] it names, apiKey, scope, exp,
// iat, nbf) is refused with [ErrInvalidOption]: extra claims can never
// change who the token is for or how long it lives; per-user fields go in
// the Claims given to [Issuer.Issue]. Repeated WithClaims options merge.
//
// Security: claims are signed, not encrypted; anyone holding the token can
// read them.
func WithClaims(claims map[string]any) IssuerOption {
	return issuerOption(func(c *issuerConfig) error {
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
	})
}

// WithKeyID names the key. On [NewIssuer] every token carries the header
// "kid": kid, so a verifier holding several keys can pick the right one. On
// [NewVerifier] it is the id of the current key (see [WithPreviousKey] for
// the previous ones and [Verifier.Verify] for how ids select keys). Not for
// Zendesk, whose profile already names the key (Zendesk(kid) is the id of
// the current key): refused there with [ErrInvalidOption]. kid must be
// non-empty, printable ASCII, at most [MaxKeyIDLen] bytes. Default: no id.
//
// A key id is not a secret: it travels in every token header.
func WithKeyID(kid string) Option {
	return sharedOption(func(c *sharedConfig) error {
		if err := checkKeyID(kid); err != nil {
			return err
		}
		c.kid = kid
		return nil
	})
}

// WithPreviousKeys adds keys a [Verifier] still accepts while a new one is
// rolled out (key rotation): tokens signed under the current key or any of
// these verify. Each key is parsed, held to the same policy and copied like
// the current key (RSA >= 2048 bits with e = 65537, P-256 for ES256, HMAC
// secrets >= 32 bytes), so a refusal wraps the same sentinels. These keys
// have no id; see [WithPreviousKey] to give one. At most [MaxKeys] keys in
// all; at least one key per call. Default: none. (An issuer signs with one
// key, so there is no issuer counterpart.)
//
// The middleware logs which key verified each token accepted under a
// previous key (never telling the client), so an operator sees when the old
// key is no longer used and can be dropped.
func WithPreviousKeys(keys ...[]byte) VerifierOption {
	return verifierOption(func(c *verifierConfig) error {
		if len(keys) == 0 {
			return fmt.Errorf("%w: WithPreviousKeys without a key", ErrInvalidOption)
		}
		for _, k := range keys {
			c.previous = append(c.previous, previousKey{key: bytes.Clone(k)})
		}
		return nil
	})
}

// WithPreviousKey adds one previous key with its key id kid, as
// [WithPreviousKeys] does for keys without one. kid follows the rules of
// [WithKeyID] and must differ from every other key id of the Verifier. This
// is how a Zendesk verifier keeps accepting the old key's tokens:
// Zendesk(newKid) with WithPreviousKey(oldKid, oldSecret).
func WithPreviousKey(kid string, key []byte) VerifierOption {
	return verifierOption(func(c *verifierConfig) error {
		if err := checkKeyID(kid); err != nil {
			return err
		}
		c.previous = append(c.previous, previousKey{id: kid, key: bytes.Clone(key)})
		return nil
	})
}

// checkKeyID applies the key-id rules.
func checkKeyID(kid string) error {
	if kid == "" || len(kid) > MaxKeyIDLen {
		return fmt.Errorf("%w: key id empty or longer than %d bytes", ErrInvalidOption, MaxKeyIDLen)
	}
	for i := 0; i < len(kid); i++ {
		if kid[i] < 0x21 || kid[i] > 0x7e {
			return fmt.Errorf("%w: key id must be printable ASCII without spaces", ErrInvalidOption)
		}
	}
	return nil
}

var errNilOption = fmt.Errorf("%w: nil option", ErrInvalidOption)

// newIssuerConfig applies opts over the defaults.
func newIssuerConfig(opts []IssuerOption) (*issuerConfig, error) {
	c := &issuerConfig{ttl: DefaultTTL}
	for _, o := range opts {
		if o == nil {
			return nil, errNilOption
		}
		if err := o.applyIssuer(c); err != nil {
			return nil, err
		}
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	return c, nil
}

// newVerifierConfig applies opts over the defaults.
func newVerifierConfig(opts []VerifierOption) (*verifierConfig, error) {
	c := &verifierConfig{}
	for _, o := range opts {
		if o == nil {
			return nil, errNilOption
		}
		if err := o.applyVerifier(c); err != nil {
			return nil, err
		}
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	return c, nil
}
