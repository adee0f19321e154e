package usersig

import (
	"crypto/fips140"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding"
	"encoding/binary"
	"fmt"
	"hash"
	"sync"
	"time"
)

// This file is the Signer's HMAC-SHA256 engine. HMAC(K, m) is
// SHA-256((K0^opad) || SHA-256((K0^ipad) || m)) (FIPS 198-1); the SHA-256
// states after the one block K0^ipad and the one block K0^opad depend on
// the key alone, so New computes them once (FIPS 198-1 §6) and every MAC
// starts from them. crypto/hmac does that too, but then finishes each hash
// through Sum, which copies the digest and builds the padding twice. Here
// the padding is written by hand into a block that the message was composed
// into, and each compression is one Write of whole blocks on a digest
// restored from crypto/sha256's own marshaled state. So a message of up to
// 55 bytes (every preset's usual identity) costs two compressions, and
// nothing escapes to the heap: the digest lives on the stack.
//
// The engine stays inside crypto/sha256: its block function does all the
// hashing. It is checked against crypto/hmac at New with the Signer's own
// keys, and a Signer whose check fails, or any Signer in FIPS 140-3 mode,
// uses crypto/hmac itself.

// stateLen is the size of crypto/sha256's marshaled state: "sha\x03", the
// eight chaining words big-endian, the 64-byte block buffer and the 64-bit
// length. crypto/sha256 keeps that layout stable, since marshaled states
// are meant to be stored and restored across releases.
const stateLen = 4 + 32 + sha256.BlockSize + 8

const (
	shaMagic  = "sha\x03"
	chainAt   = len(shaMagic) // the chaining value, which after padding is the hash
	blockSize = sha256.BlockSize
)

// A shaState is a SHA-256 state in crypto/sha256's marshaled form, always
// at a block boundary, so its buffer part is unused.
type shaState [stateLen]byte

// compress runs SHA-256's compression from state src over blocks (whole
// 64-byte blocks) and leaves the new state in dst, which may be src. It
// reports false if crypto/sha256 ever stops accepting or producing this
// form, which the self-test at New turns into a fallback to crypto/hmac.
func compress(dst, src *shaState, blocks []byte) bool {
	// sha256.New inlines to a concrete digest, so the calls below are
	// devirtualized and the digest stays on this stack frame.
	h := sha256.New()
	u, ok1 := h.(encoding.BinaryUnmarshaler)
	a, ok2 := h.(encoding.BinaryAppender)
	if !ok1 || !ok2 || u.UnmarshalBinary(src[:]) != nil {
		return false
	}
	h.Write(blocks)
	b, err := a.AppendBinary(dst[:0])
	return err == nil && len(b) == stateLen
}

// A macKey is one secret's keyed states: SHA-256 after K0^ipad and after
// K0^opad. They are secret-equivalent (they sign anything), so they live
// only where the secrets did: behind the Signer's closure.
type macKey struct {
	inner, outer shaState
}

func newMacKey(secret []byte) (macKey, bool) {
	var k0 [blockSize]byte
	if len(secret) > blockSize {
		sum := sha256.Sum256(secret)
		copy(k0[:], sum[:])
	} else {
		copy(k0[:], secret)
	}
	var ipad, opad [blockSize]byte
	for i, b := range k0 {
		ipad[i], opad[i] = b^0x36, b^0x5c
	}
	var k macKey
	ok := k.inner.start(&ipad) && k.outer.start(&opad)
	clear(k0[:])
	clear(ipad[:])
	clear(opad[:])
	return k, ok
}

// start makes st the state after hashing the one block pad.
func (st *shaState) start(pad *[blockSize]byte) bool {
	h := sha256.New()
	h.Write(pad[:])
	a, ok := h.(encoding.BinaryAppender)
	if !ok {
		return false
	}
	b, err := a.AppendBinary(st[:0])
	return err == nil && len(b) == stateLen && string(b[:chainAt]) == shaMagic
}

// A blockWriter hashes a long message that follows the key block: it
// fills a block, compresses it when full, and pads the last one by hand.
// Text of any length goes through it in bounded pieces, never in a buffer
// the size of the message.
type blockWriter struct {
	st  shaState
	blk [blockSize]byte
	n   int    // bytes waiting in blk
	len uint64 // bytes hashed, the key block included
	ok  bool
}

func (w *blockWriter) start(k *macKey) {
	w.st, w.len, w.ok = k.inner, blockSize, true
}

func writeBlocks[T string | []byte](w *blockWriter, p T) {
	w.len += uint64(len(p))
	if w.n > 0 {
		c := copy(w.blk[w.n:], p)
		w.n += c
		p = p[c:]
		if w.n < blockSize {
			return
		}
		w.ok = compress(&w.st, &w.st, w.blk[:]) && w.ok
		w.n = 0
	}
	if len(p) >= blockSize {
		whole := len(p) &^ (blockSize - 1)
		w.ok = compressLong(&w.st, p[:whole]) && w.ok
		p = p[whole:]
	}
	w.n = copy(w.blk[:], p)
}

// longChunk bounds the stack copy a long text goes through: Write takes a
// []byte, and converting a string to one would copy it to the heap.
const longChunk = 4096

// compressLong compresses whole blocks of p in chunks. It is its own
// function so that only long messages pay for the chunk on the stack.
//
//go:noinline
func compressLong[T string | []byte](st *shaState, p T) bool {
	var chunk [longChunk]byte
	ok := true
	for len(p) > 0 {
		n := copy(chunk[:], p)
		ok = compress(st, st, chunk[:n]) && ok
		p = p[n:]
	}
	return ok
}

// finish pads the message and leaves the inner hash in w.st.
func (w *blockWriter) finish() bool {
	w.blk[w.n] = 0x80
	clear(w.blk[w.n+1:])
	if w.n >= maxOneBlock+1 { // no room for the length: one more block
		w.ok = compress(&w.st, &w.st, w.blk[:]) && w.ok
		clear(w.blk[:])
	}
	binary.BigEndian.PutUint64(w.blk[blockSize-8:], w.len*8)
	return compress(&w.st, &w.st, w.blk[:]) && w.ok
}

// maxOneBlock is the longest message whose padding fits in its block:
// 64 bytes less the 0x80 byte and the 8-byte length.
const maxOneBlock = blockSize - 9

// outerSum finishes HMAC from the inner hash's state st, which it uses as
// scratch: the outer hash is always one padded block (64 key bytes + 32
// hash bytes = 768 bits).
func (k *macKey) outerSum(mac *[macSize]byte, st *shaState) bool {
	ok := compress(st, &k.outer, st.outerBlock())
	copy(mac[:], st[chainAt:])
	return ok
}

// outerBlock turns st, the state that ends an inner hash, into the outer
// hash's padded block in place and returns it. A state at a block boundary
// marshals as the chaining value (the hash) followed by 64 zero bytes, so
// the hash is already where the block starts and its zero padding is
// already there: only the 0x80 byte and the length are missing.
func (st *shaState) outerBlock() []byte {
	blk := st[chainAt : chainAt+blockSize]
	blk[macSize] = 0x80
	binary.BigEndian.PutUint64(blk[blockSize-8:], (blockSize+macSize)*8)
	return blk
}

// sumMessage leaves HMAC(k, m's bytes) in mac. A message that fits one
// padded block is composed straight into it, and both hashes run on one
// digest on this stack frame, with no Sum: two compressions and the
// state restores and reads around them.
func (k *macKey) sumMessage(mac *[macSize]byte, m *message) bool {
	if m.len() > maxOneBlock {
		return k.sumLong(mac, m)
	}
	var blk [blockSize]byte
	padOneBlock(&blk, m)
	return k.sumBlock(mac, &blk)
}

// padOneBlock composes m, which fits one block after padding, straight into
// blk and pads it as the second block of the inner hash.
func padOneBlock(blk *[blockSize]byte, m *message) {
	n := m.len()
	m.copyTo(blk[:])
	blk[n] = 0x80
	binary.BigEndian.PutUint64(blk[blockSize-8:], uint64(blockSize+n)*8)
}

// sumBlock leaves in mac the HMAC whose inner hash ends with blk, a padded
// one-block message: two compressions, on one digest on this stack frame.
func (k *macKey) sumBlock(mac *[macSize]byte, blk *[blockSize]byte) bool {
	h := sha256.New() // devirtualized and on the stack, as in compress
	u, ok1 := h.(encoding.BinaryUnmarshaler)
	a, ok2 := h.(encoding.BinaryAppender)
	if !ok1 || !ok2 || u.UnmarshalBinary(k.inner[:]) != nil {
		return false
	}
	h.Write(blk[:])
	var st shaState
	if b, err := a.AppendBinary(st[:0]); err != nil || len(b) != stateLen {
		return false
	}
	if u.UnmarshalBinary(k.outer[:]) != nil {
		return false
	}
	h.Write(st.outerBlock())
	if b, err := a.AppendBinary(st[:0]); err != nil || len(b) != stateLen {
		return false
	}
	copy(mac[:], st[chainAt:])
	return true
}

// sumLong is sumMessage for a message over one block, streamed piece by
// piece.
func (k *macKey) sumLong(mac *[macSize]byte, m *message) bool {
	var w blockWriter
	w.start(k)
	for i := range m.text {
		writeBlocks(&w, m.ownRun(i))
		writeBlocks(&w, m.text[i])
	}
	writeBlocks(&w, m.ownRun(3))
	return w.finish() && k.outerSum(mac, &w.st)
}

// sumBytes leaves HMAC(k, msg) in mac, for a Composer's message.
func (k *macKey) sumBytes(mac *[macSize]byte, msg []byte) bool {
	var w blockWriter
	w.start(k)
	writeBlocks(&w, msg)
	return w.finish() && k.outerSum(mac, &w.st)
}

// A keyring is a Signer's MAC keys, current secret first, and the pool its
// slower paths draw on.
type keyring struct {
	// fast holds the precomputed states; nil means crypto/hmac does every
	// MAC (FIPS 140-3 mode, or a failed self-test).
	fast []macKey
	// states pools crypto/hmac states (when fast is nil) and message
	// buffers for Composers other than a MessageRule.
	states *sync.Pool
}

// A macState is one goroutine's scratch space from the pool: crypto/hmac
// states (current secret first) when the fast path is off, and the message
// buffer. Keeping the sum and the message here, not on the caller's stack,
// lets them cross the hash.Hash and Composer interfaces without escaping.
type macState struct {
	macs []hash.Hash
	msg  []byte
	sum  [macSize]byte
}

// newKeyring keys a Signer. It uses crypto/hmac itself when useHMAC is
// set (the one-shot functions, which would not amortize the precomputation),
// in FIPS 140-3 mode (the validated module's HMAC, with its key rules), and
// when agrees (agreesWithHMAC, save in tests) finds the fast path disagree
// with crypto/hmac on any secret.
func newKeyring(secrets [][]byte, useHMAC bool, agrees func(*macKey, []byte) bool) (*keyring, error) {
	kr := &keyring{}
	switch {
	case fips140.Enabled():
		for i, secret := range secrets {
			if err := fipsKeyCheck(secret); err != nil {
				if i > 0 {
					return nil, fmt.Errorf("previous secret %d: %w", i, err)
				}
				return nil, err
			}
		}
	case !useHMAC:
		kr.fast = make([]macKey, len(secrets))
		for i, secret := range secrets {
			var ok bool
			kr.fast[i], ok = newMacKey(secret)
			if !ok || !agrees(&kr.fast[i], secret) {
				kr.fast = nil
				break
			}
		}
	}
	if kr.fast != nil {
		kr.states = &sync.Pool{New: func() any { return new(macState) }}
		return kr, nil
	}
	kr.states = &sync.Pool{New: func() any {
		st := &macState{macs: make([]hash.Hash, len(secrets))}
		for i, secret := range secrets {
			st.macs[i] = hmac.New(sha256.New, secret)
		}
		return st
	}}
	return kr, nil
}

// fipsKeyCheck asks crypto/hmac whether it takes secret. In FIPS 140-only
// mode (GODEBUG=fips140=only) it refuses keys under 112 bits by panicking;
// New turns that into ErrWeakSecret rather than crash later.
func fipsKeyCheck(secret []byte) (err error) {
	defer func() {
		if recover() != nil {
			err = fmt.Errorf("%w: %d bytes; FIPS 140-only mode refuses HMAC keys under 112 bits (14 bytes)", errWeakSecret, len(secret))
		}
	}()
	hmac.New(sha256.New, secret)
	return nil
}

// agreesWithHMAC reports whether k gives crypto/hmac's MAC under secret,
// through both the composed and the byte path, for messages whose lengths
// take every branch of the engine: empty, one block, the longest one-block
// message, the two-block padding, block boundaries and the long path.
func (k *macKey) agreesWithHMAC(secret []byte) bool {
	var msg [130]byte
	for i := range msg {
		msg[i] = byte(i*7 + 1)
	}
	ref := hmac.New(sha256.New, secret)
	for _, n := range [...]int{0, 28, 55, 56, 64, 130} {
		ref.Reset()
		ref.Write(msg[:n])
		want := ref.Sum(nil)
		var got, gotBytes [macSize]byte
		m := message{text: [3]string{string(msg[:n/2]), "", string(msg[n/2 : n])}}
		ok := k.sumMessage(&got, &m) && k.sumBytes(&gotBytes, msg[:n])
		if !ok || !hmac.Equal(got[:], want) || !hmac.Equal(gotBytes[:], want) {
			return false
		}
	}
	return true
}

// maxPooledMessage bounds the message buffer a pooled state keeps between
// calls, so one huge identity does not pin its memory for the life of the
// Signer.
const maxPooledMessage = 4 << 10

func (kr *keyring) release(st *macState) {
	if cap(st.msg) > maxPooledMessage {
		st.msg = nil
	}
	kr.states.Put(st)
}

// sumWith leaves HMAC(secret i, msg) in st.sum, by the fast path when it is
// on, else by the pooled crypto/hmac state, whose Reset restores the keyed
// state hmac.New precomputed.
func (kr *keyring) sumWith(st *macState, i int, msg []byte) bool {
	if kr.fast != nil {
		return kr.fast[i].sumBytes(&st.sum, msg)
	}
	h := st.macs[i]
	h.Reset()
	h.Write(msg)
	h.Sum(st.sum[:0])
	return true
}

// matchMessage compares want with the MAC of m under every secret. It
// never stops at the first match, so its timing does not say which secret
// matched.
//
// A message that fits one block is composed and padded once, not once per
// secret, so each extra secret costs its two compressions and little more.
func (kr *keyring) matchMessage(want *[macSize]byte, m *message, live liveness) (int, error) {
	which := 0
	if m.len() <= maxOneBlock {
		var blk [blockSize]byte
		padOneBlock(&blk, m)
		for i := range kr.fast {
			var mac [macSize]byte
			ok := kr.fast[i].sumBlock(&mac, &blk)
			which = pick(which, i, equalMAC(&mac, want)&b2i(ok)&live.at(i))
		}
	} else {
		for i := range kr.fast {
			var mac [macSize]byte
			ok := kr.fast[i].sumLong(&mac, m)
			which = pick(which, i, equalMAC(&mac, want)&b2i(ok)&live.at(i))
		}
	}
	return matched(which)
}

// pick folds secret i's result (hit is 1 or 0) into which, 1 + the index of
// the first secret that matched, or 0 while none has. It selects without a
// branch, so the loop's timing does not say which secret matched.
func pick(which, i, hit int) int {
	first := hit & subtle.ConstantTimeEq(int32(which), 0)
	return subtle.ConstantTimeSelect(first, i+1, which)
}

// matched turns pick's result into the index of the secret that matched.
func matched(which int) (int, error) {
	if which == 0 {
		return -1, errInvalidSignature
	}
	return which - 1, nil
}

// liveness says which secrets may verify now: the current one always, a
// previous one until its not-after instant (WithRetiringSecret). Its zero
// value, for a Signer without deadlines, lets every secret verify.
type liveness struct {
	notAfter []time.Time // by secret index; the zero time means no deadline
	now      time.Time
}

// at is 1 if secret i may verify at live.now, else 0.
func (live liveness) at(i int) int {
	if live.notAfter == nil || live.notAfter[i].IsZero() {
		return 1
	}
	return b2i(live.now.Before(live.notAfter[i]))
}

// equalMAC is 1 if a and b are equal, else 0, in time independent of their
// contents: it ORs the XOR of four words and has no branch, so, like
// hmac.Equal, it does not tell where two tags first differ.
func equalMAC(a, b *[macSize]byte) int {
	le := binary.LittleEndian
	v := (le.Uint64(a[0:]) ^ le.Uint64(b[0:])) |
		(le.Uint64(a[8:]) ^ le.Uint64(b[8:])) |
		(le.Uint64(a[16:]) ^ le.Uint64(b[16:])) |
		(le.Uint64(a[24:]) ^ le.Uint64(b[24:]))
	return int((v|-v)>>63) ^ 1
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	i := 0
	if b {
		i = 1
	}
	return i
}

// match is matchMessage for a message in st.msg, on either engine.
func (kr *keyring) match(st *macState, want *[macSize]byte, msg []byte, live liveness) (int, error) {
	which := 0
	n := len(kr.fast)
	if kr.fast == nil {
		n = len(st.macs)
	}
	for i := 0; i < n; i++ {
		ok := kr.sumWith(st, i, msg)
		which = pick(which, i, equalMAC(&st.sum, want)&b2i(ok)&live.at(i))
	}
	return matched(which)
}

// withHMACOnly makes a Signer use crypto/hmac for every MAC, for the
// one-shot Sign and Verify: a Signer used once cannot earn back the
// precomputation and self-test that New spends on the fast path.
func withHMACOnly() Option {
	return func(s *settings) error {
		s.useHMAC = true
		return nil
	}
}

// hmacMessage leaves HMAC(secret i, m's bytes) in st.sum by crypto/hmac,
// feeding it m's pieces through st.msg a bounded chunk at a time, so that
// no identity size allocates on this path either.
func (st *macState) hmacMessage(i int, m *message) {
	h := st.macs[i]
	h.Reset()
	if cap(st.msg) == 0 {
		st.msg = make([]byte, 0, 256)
	}
	buf := st.msg[:0]
	for j := range m.text {
		buf = feed(h, buf, m.ownRun(j))
		buf = feed(h, buf, m.text[j])
	}
	buf = feed(h, buf, m.ownRun(3))
	h.Write(buf)
	h.Sum(st.sum[:0])
}

// feed appends p to buf, writing buf to h whenever it is full.
func feed[T string | []byte](h hash.Hash, buf []byte, p T) []byte {
	for len(p) > 0 {
		if len(buf) == cap(buf) {
			h.Write(buf)
			buf = buf[:0]
		}
		n := copy(buf[len(buf):cap(buf)], p)
		buf = buf[:len(buf)+n]
		p = p[n:]
	}
	return buf
}

// matchHMAC is matchMessage on crypto/hmac.
func (st *macState) matchHMAC(want *[macSize]byte, m *message, live liveness) (int, error) {
	which := 0
	for i := range st.macs {
		st.hmacMessage(i, m)
		which = pick(which, i, equalMAC(&st.sum, want)&live.at(i))
	}
	return matched(which)
}
