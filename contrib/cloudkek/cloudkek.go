// Package cloudkek is a tenants.KEK backed by a gocloud.dev/secrets Keeper:
// AWS KMS, Google Cloud KMS, Azure Key Vault, HashiCorp Vault, or the local
// base64key:// keeper, chosen by URL. The key never leaves the KMS; the
// tenant store asks it to wrap and unwrap data keys, once per data key (not
// once per tenant), so a fleet's start costs a handful of KMS calls.
//
//	import _ "gocloud.dev/secrets/awskms"
//	kek, err := cloudkek.Open(ctx, "awskms://alias/usersig-tenants?region=eu-west-1")
//	st, err := tenants.Open(ctx, dsn, tenants.Options{KEK: kek})
//
// Import the driver package of your KMS for its URL scheme; this module
// links only gocloud.dev/secrets and its local keeper.
package cloudkek

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	neturl "net/url"
	"strings"

	"github.com/usersig/usersig/tenants"
	"gocloud.dev/gcerrors"
	"gocloud.dev/secrets"
	_ "gocloud.dev/secrets/localsecrets" // base64key://, for tests and development
)

// KEK is a tenants.KEK over a secrets.Keeper.
type KEK struct {
	keeper *secrets.Keeper
	id     string
}

// Open opens the keeper at url (gocloud.dev/secrets.OpenKeeper) as a KEK.
// Its ID, stored beside every data key it wraps, is derived from the URL
// with any query string kept: two URLs naming the same key the same way
// have the same ID. A base64key:// URL embeds its key, so its ID is a hash
// of the URL, never the URL itself. Close the KEK when done.
func Open(ctx context.Context, url string) (*KEK, error) {
	k, err := secrets.OpenKeeper(ctx, url)
	if err != nil {
		return nil, openError(url, err)
	}
	sum := sha256.Sum256([]byte("usersig cloudkek id\x00" + url))
	return &KEK{keeper: k, id: "cloud:" + hex.EncodeToString(sum[:8])}, nil
}

// openError reports why a keeper did not open without the URL, which for
// base64key:// is the key itself: gocloud quotes the URL in its errors (an
// unknown scheme, a URL that does not parse). The cause's text is kept with
// the URL cut out; the cause itself is not wrapped, so that no caller can
// print it whole.
func openError(rawURL string, err error) error {
	u, perr := neturl.Parse(rawURL)
	if perr != nil {
		return errors.New("cloudkek: opening keeper: the keeper URL does not parse")
	}
	msg := err.Error()
	for _, s := range []string{rawURL, u.String(), u.Host, u.Opaque, u.Path, u.RawQuery} {
		if len(s) >= 8 || s == rawURL { // not a lone "/" of a path
			msg = strings.ReplaceAll(msg, s, "…")
		}
	}
	return fmt.Errorf("cloudkek: opening keeper (scheme %q): %s", u.Scheme, msg)
}

// New wraps a keeper opened elsewhere; id names its key (for example the
// KMS key's ARN), and must change when the key does.
func New(keeper *secrets.Keeper, id string) (*KEK, error) {
	if keeper == nil || id == "" {
		return nil, errors.New("cloudkek: New needs a keeper and an id")
	}
	return &KEK{keeper: keeper, id: id}, nil
}

// ID implements tenants.KEK.
func (k *KEK) ID() string { return k.id }

// String shows the ID only.
func (k *KEK) String() string { return "cloudkek.KEK(" + k.id + ")" }

// Wrap implements tenants.KEK.
func (k *KEK) Wrap(ctx context.Context, dataKey []byte) ([]byte, error) {
	return k.keeper.Encrypt(ctx, dataKey)
}

// Unwrap implements tenants.KEK. A value the keeper cannot decrypt is
// tenants.ErrSealed; a KMS that could not answer (a timeout, throttling, a
// network or server error) is not, so the store retries the tenants under
// that data key rather than refusing them until their next write.
func (k *KEK) Unwrap(ctx context.Context, wrapped []byte) ([]byte, error) {
	out, err := k.keeper.Decrypt(ctx, wrapped)
	if err != nil {
		if unreachable(err) {
			return nil, fmt.Errorf("cloudkek: the KMS did not answer: %w", err)
		}
		return nil, fmt.Errorf("%w: %v", tenants.ErrSealed, err)
	}
	return out, nil
}

// unreachable says whether a keeper's error is a failure to ask rather
// than a refusal of the ciphertext.
func unreachable(err error) bool {
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || errors.As(err, &netErr) {
		return true
	}
	switch gcerrors.Code(err) {
	case gcerrors.DeadlineExceeded, gcerrors.Canceled, gcerrors.ResourceExhausted, gcerrors.Internal:
		return true
	}
	return false
}

// Close closes the keeper.
func (k *KEK) Close() error { return k.keeper.Close() }

var _ tenants.KEK = (*KEK)(nil)
