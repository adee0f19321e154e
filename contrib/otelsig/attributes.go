package otelsig

import (
	"cmp"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/usersig/usersig/sighttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// The attributes of DecisionsMetric and of the request's span. Their
// Prometheus labels replace the dots with underscores (usersig_outcome,
// error_type).
const (
	// OutcomeKey is the decision's outcome: sighttp.Outcome's String().
	OutcomeKey = attribute.Key("usersig.outcome")
	// ReasonKey is the reason word of a rejected or unsigned decision.
	ReasonKey = attribute.Key("usersig.reason")
	// ErrorTypeKey is OpenTelemetry's error.type: the reason word again, on
	// rejected decisions only ("_OTHER" for one without a reason word).
	ErrorTypeKey = semconv.ErrorTypeKey
	// SchemeKey is the name of the scheme of the Signer that decided.
	SchemeKey = attribute.Key("usersig.scheme")
	// SecretKey says which secret verified an accepted credential:
	// "current", "previous-1" … "previous-3" or "previous-4+". Counter only.
	SecretKey = attribute.Key("usersig.secret")
	// TenantKey is the tenant key, under WithTenantAttribute only.
	TenantKey = attribute.Key("usersig.tenant")
)

// maxPreviousLabel is the last previous secret with a label of its own;
// older ones share "previous-4+", so the label has at most five values.
const maxPreviousLabel = 3

// secretLabel is the SecretKey value of secret index i (0 ≤ i ≤
// maxPreviousLabel+1).
func secretLabel(i int8) string {
	switch i {
	case 0:
		return "current"
	case 1:
		return "previous-1"
	case 2:
		return "previous-2"
	case 3:
		return "previous-3"
	}
	return "previous-4+"
}

// otherErrorType is error.type's value for a failure without a reason
// word, as the semantic conventions name one they have no value for.
const otherErrorType = "_OTHER"

// key is what the attributes of one decision depend on.
type key struct {
	outcome sighttp.Outcome
	secret  int8 // capped at maxPreviousLabel+1 (see secretLabel), -1 for none
	reason  string
	scheme  string
	tenant  string
}

func keyOf(d sighttp.Decision, tenant bool) key {
	k := key{outcome: d.Outcome, secret: -1, reason: d.Reason, scheme: d.Scheme}
	if d.Outcome == sighttp.Accepted && d.Secret >= 0 {
		k.secret = int8(min(d.Secret, maxPreviousLabel+1))
	}
	if tenant {
		k.tenant = d.Tenant
	}
	return k
}

// attrs are the ready-made arguments for one key: the counter's options
// (one attribute.Set, built once) and the span's attributes.
type attrs struct {
	measure []metric.AddOption
	span    []attribute.KeyValue
}

func (k key) build() *attrs {
	kv := make([]attribute.KeyValue, 0, 6)
	kv = append(kv, OutcomeKey.String(k.outcome.String()))
	if k.reason != "" {
		kv = append(kv, ReasonKey.String(k.reason))
	}
	if k.outcome == sighttp.Rejected {
		kv = append(kv, ErrorTypeKey.String(cmp.Or(k.reason, otherErrorType)))
	}
	if k.scheme != "" {
		kv = append(kv, SchemeKey.String(k.scheme))
	}
	if k.tenant != "" {
		kv = append(kv, TenantKey.String(k.tenant))
	}
	span := slices.Clone(kv) // NewSet sorts kv in place
	if k.secret >= 0 {
		kv = append(kv, SecretKey.String(secretLabel(k.secret)))
	}
	return &attrs{
		measure: []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(kv...))},
		span:    span,
	}
}

// maxCachedAttrs bounds attrCache. Without WithTenantAttribute the keys
// are a few dozen; the bound matters only for many tenants.
const maxCachedAttrs = 4096

// attrCache maps keys to their attrs. Keys are few, written once and read
// on every decision, so a read is one lookup in an immutable map (no lock,
// no allocation). A new key waits in pending, under mu, until pending
// holds a quarter as many keys as the map, or as many reads have missed
// the map as pending holds keys, or the cache is full: then both become the
// next map. So each key is copied O(1) times on average, and a key waits in
// pending for a few reads at most.
type attrCache struct {
	read    atomic.Pointer[map[key]*attrs]
	mu      sync.Mutex
	pending map[key]*attrs
	misses  int // reads of pending since it was last promoted
}

func (c *attrCache) get(k key) *attrs {
	if m := c.read.Load(); m != nil {
		if a, ok := (*m)[k]; ok {
			return a
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var read map[key]*attrs
	if m := c.read.Load(); m != nil {
		read = *m
		if a, ok := read[k]; ok { // promoted since the first look
			return a
		}
	}
	a, ok := c.pending[k]
	if ok {
		c.misses++
	} else {
		a = k.build()
		if len(read)+len(c.pending) >= maxCachedAttrs {
			return a
		}
		if c.pending == nil {
			c.pending = make(map[key]*attrs)
		}
		c.pending[k] = a
	}
	if len(c.pending) >= max(1, len(read)/4) || c.misses >= len(c.pending) ||
		len(read)+len(c.pending) == maxCachedAttrs {
		c.promote(read)
	}
	return a
}

// promote makes read and pending the next map. c.mu is held.
func (c *attrCache) promote(read map[key]*attrs) {
	next := make(map[key]*attrs, len(read)+len(c.pending))
	maps.Copy(next, read)
	maps.Copy(next, c.pending)
	c.read.Store(&next)
	c.pending, c.misses = nil, 0
}
