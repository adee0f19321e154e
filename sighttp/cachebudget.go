package sighttp

import (
	"context"
	"hash/maphash"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"
	"golang.org/x/time/rate"
)

// loadBudget bounds the loads that find no Signer: the only loads a flood
// of random API keys causes. Keys a SignerCache knows (a tenant loaded
// before, whether still cached, expired, evicted or invalidated) load
// without it, since their number is that of your tenants. While the
// budget lasts, a key never seen loads too, and is charged after the fact
// only if its load finds no Signer (an unknown key, a failure): a cold
// start is held back only by the loader's speed. Such unpaid loads run at
// most rate at once (a semaphore of golang.org/x/sync), so a burst of junk
// keys sent at one instant cannot pass before the first are charged. Once
// charges have spent the budget (a flood), a key never seen waits for a
// token before it loads, and is refused if none comes in time.
//
// The budget has two lanes, each a token bucket of golang.org/x/time/rate:
// one for a key's first ask, one for a key asked again after a refusal. A
// flood of random keys spends the first lane but never reaches the second,
// since a random key is not asked twice; a real tenant that was refused
// comes back and finds the second lane free. An attacker who sends each key
// twice spends both: the loader then sees about twice the rate.
type loadBudget struct {
	firstAsk, askedAgain *rate.Limiter
	unpaid               *semaphore.Weighted // loads under way not paid for
	maxWait              time.Duration
	now                  func() time.Time
	seed                 maphash.Seed

	mu    sync.RWMutex
	known map[uint64]struct{} // hashes of keys whose last load found a Signer

	refused atomic.Pointer[refusedTable]
}

func newLoadBudget(perSecond int, maxWait time.Duration, now func() time.Time) *loadBudget {
	return &loadBudget{
		firstAsk:   rate.NewLimiter(rate.Limit(perSecond), perSecond),
		askedAgain: rate.NewLimiter(rate.Limit(perSecond), perSecond),
		unpaid:     semaphore.NewWeighted(int64(perSecond)),
		maxWait:    maxWait,
		now:        now,
		seed:       maphash.MakeSeed(),
		known:      make(map[uint64]struct{}),
	}
}

// hash is a key's 64-bit hash under this cache's random seed, so that no
// one can choose keys that collide with a tenant's. The sets hold hashes,
// not keys, to keep a client's text out of long-lived memory.
func (b *loadBudget) hash(key string) uint64 {
	if h := maphash.String(b.seed, key); h != 0 {
		return h
	}
	return 1 // 0 marks an empty slot of the refused table
}

func (b *loadBudget) isKnown(h uint64) bool {
	b.mu.RLock()
	_, ok := b.known[h]
	b.mu.RUnlock()
	return ok
}

// loaded records what the loader said of a key: known (a Signer) or not.
// The known set is bounded by the number of keys your loader knows.
func (b *loadBudget) loaded(h uint64, known bool) {
	b.mu.Lock()
	if known {
		b.known[h] = struct{}{}
	} else {
		delete(b.known, h)
	}
	b.mu.Unlock()
	if t := b.refused.Load(); t != nil {
		t.remove(h)
	}
}

func (b *loadBudget) size() int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.known)
}

// A ticket is a load's leave from the budget: the lane that let it start,
// and whether it is paid for already (else it holds a slot of unpaid).
type ticket struct {
	lane *rate.Limiter
	paid bool
}

// admit lets a load of the key with hash h start: at once if the key is
// known or the budget lasts (the load is then charged only if it finds no
// Signer, see charge); else once a token comes, waiting for it up to
// maxWait. If none comes in that time it returns ErrRateLimited at once,
// gives the token back and remembers the key as refused, so that its next
// ask takes the second lane. The requests that wait for the load leave
// when their contexts end; the load itself is theirs in common, so no one
// context ends its wait.
func (b *loadBudget) admit(h uint64) (ticket, error) {
	if b.isKnown(h) {
		return ticket{paid: true}, nil
	}
	lane := b.firstAsk
	if b.wasRefused(h) {
		lane = b.askedAgain
	}
	// The whole of admit waits up to maxWait, for a slot and a token alike.
	deadline, cancel := context.WithTimeout(context.Background(), b.maxWait)
	defer cancel()
	if lane.TokensAt(b.now()) >= 1 && b.takeUnpaidSlot(deadline) {
		// Other loads may have spent the budget while this one waited for
		// its slot: look again.
		if lane.TokensAt(b.now()) >= 1 {
			return ticket{lane: lane}, nil
		}
		b.unpaid.Release(1)
	}
	now := b.now()
	r := lane.ReserveN(now, 1)
	delay := r.DelayFrom(now)
	if left, _ := deadline.Deadline(); delay > time.Until(left) {
		r.CancelAt(now)
		b.noteRefused(h)
		return ticket{}, ErrRateLimited
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	return ticket{lane: lane, paid: true}, nil
}

// takeUnpaidSlot waits until deadline ends for a slot of the loads not yet
// paid for.
func (b *loadBudget) takeUnpaidSlot(deadline context.Context) bool {
	return b.unpaid.TryAcquire(1) || b.unpaid.Acquire(deadline, 1) == nil
}

// settle ends a load's ticket: one not paid for gives back its slot, and
// pays a token of its lane if it found no Signer, into debt if need be
// (until the debt is paid off, keys never seen wait).
func (b *loadBudget) settle(t ticket, found bool) {
	if t.paid {
		return
	}
	if !found {
		t.lane.ReserveN(b.now(), 1)
	}
	b.unpaid.Release(1)
}

func (b *loadBudget) wasRefused(h uint64) bool {
	t := b.refused.Load()
	return t != nil && t.has(h)
}

func (b *loadBudget) noteRefused(h uint64) {
	t := b.refused.Load()
	if t == nil {
		b.refused.CompareAndSwap(nil, new(refusedTable))
		t = b.refused.Load()
	}
	t.add(h)
}

// The table that remembers which keys the budget refused, so that a key
// asked for again takes the second lane: 4,096 buckets of 8 hashes (256
// KiB, made on the first refusal), each bucket overwritten oldest first, so
// a key is lost only after 8 newer refusals land in its bucket. Under a
// flood of 10,000 random keys a second, a refused key is remembered for
// about 3 s; it is lost within half a second about once in 50,000, within a
// second about once in 250.
const (
	refusedWays    = 8
	refusedBuckets = 1 << 12
)

type refusedTable struct {
	hashes [refusedBuckets * refusedWays]atomic.Uint64
	next   [refusedBuckets]atomic.Uint32 // the way each bucket overwrites next
}

func (t *refusedTable) bucket(h uint64) (first int, b uint64) {
	b = h % refusedBuckets
	return int(b) * refusedWays, b
}

func (t *refusedTable) has(h uint64) bool {
	first, _ := t.bucket(h)
	for i := range refusedWays {
		if t.hashes[first+i].Load() == h {
			return true
		}
	}
	return false
}

func (t *refusedTable) add(h uint64) {
	if t.has(h) {
		return
	}
	first, b := t.bucket(h)
	t.hashes[first+int(t.next[b].Add(1)%refusedWays)].Store(h)
}

func (t *refusedTable) remove(h uint64) {
	first, _ := t.bucket(h)
	for i := range refusedWays {
		t.hashes[first+i].CompareAndSwap(h, 0)
	}
}
