package diagnose

import (
	"crypto/hmac"
	"crypto/sha256"

	"github.com/usersig/usersig"
)

// A target is a preset the search tries: its scheme, the rule that composes
// its message and how it turns the secret into the HMAC key.
type target struct {
	sc    usersig.Scheme
	rule  usersig.MessageRule
	form  keyForm
	order int // in usersig.Schemes
}

// presetTargets are the presets whose Composer is a MessageRule: the ones
// whose mistaken messages the tables know how to compose.
func presetTargets() []target {
	var out []target
	for i, sc := range usersig.Schemes() {
		if rule, ok := sc.Composer.(usersig.MessageRule); ok {
			out = append(out, target{sc: sc, rule: rule, form: keyFormOf(sc), order: i})
		}
	}
	return out
}

// A combo is one row of each table: the key, message and text rows, and the
// transport row undone (-1 for none). Row 0 of the first three is "no
// mistake".
type combo struct {
	key, msg, text, transport int
}

// count is the number of mistakes the combo stands for.
func (c combo) count() int {
	n := 0
	for _, r := range []int{c.key, c.msg, c.text, c.transport + 1} {
		if r > 0 {
			n++
		}
	}
	return n
}

// rank breaks ties between combos of as many mistakes: rows nearer the top
// of their tables are the more common mistakes.
func (c combo) rank() int { return c.key + c.msg + c.text + c.transport + 1 }

func (c combo) better(than combo) bool {
	if c.count() != than.count() {
		return c.count() < than.count()
	}
	return c.rank() < than.rank()
}

// A search holds what every scheme's search shares: the secret, the
// identity, the texts to compare and the MACs computed so far.
type search struct {
	secret []byte
	msg    message
	sig    string
	cands  map[string]int       // text to compare -> transport row undone, -1 for none
	macs   map[[2]string][]byte // (key, message) -> HMAC-SHA256
}

func newSearch(secret []byte, msg message, sig string) *search {
	s := &search{secret: secret, msg: msg, sig: sig, cands: map[string]int{sig: -1}, macs: map[[2]string][]byte{}}
	for i, tm := range transportMistakes {
		if t, ok := tm.clean(sig); ok && t != "" {
			if _, dup := s.cands[t]; !dup {
				s.cands[t] = i // the earlier row: the more common mistake
			}
		}
	}
	return s
}

func (s *search) mac(key []byte, msg string) []byte {
	id := [2]string{string(key), msg}
	if m, ok := s.macs[id]; ok {
		return m
	}
	h := hmac.New(sha256.New, key)
	h.Write([]byte(msg))
	m := h.Sum(nil)
	s.macs[id] = m
	return m
}

// validFor returns a valid match for each target the signature verifies
// under with no mistake at all: the first row of every table, the text as
// given.
func (s *search) validFor(targets []target) []Match {
	var out []Match
	for _, t := range targets {
		key, ok := keyMistakes[0].key(s.secret, t.form)
		if !ok {
			continue
		}
		msgs := s.messagesFor(t)
		if len(msgs) == 0 || msgs[0].row != 0 {
			continue
		}
		if s.stamped(t, textMistakes[0].render(s.mac(key, msgs[0].text), t.sc.Encoding)) == s.sig {
			out = append(out, newMatch(t, combo{transport: -1}, msgs[0].text))
		}
	}
	return out
}

// explain returns, per target, the match with the fewest mistakes.
func (s *search) explain(targets []target) []Match {
	var out []Match
	for _, t := range targets {
		if c, signed, ok := s.bestFor(t); ok {
			out = append(out, newMatch(t, c, signed))
		}
	}
	return out
}

// bestFor tries every combination of rows for t and returns the best that
// turns the secret and identity into one of the texts compared, with the
// message it signed.
func (s *search) bestFor(t target) (best combo, signed string, found bool) {
	keys := s.keysFor(t.form)
	for _, m := range s.messagesFor(t) {
		for _, k := range keys {
			mac := s.mac(k.key, m.text)
			rs := renderings(mac, t.sc.Encoding)
			for _, r := range rs {
				tr, ok := s.cands[s.stamped(t, r.text)]
				if !ok {
					continue
				}
				c := combo{key: k.row, msg: m.row, text: r.row, transport: tr}
				if !found || c.better(best) {
					best, signed, found = c, m.text, true
				}
			}
			for cand, tr := range s.cands {
				if !truncated(rs[0].text, cand) {
					continue
				}
				c := combo{key: k.row, msg: m.row, text: truncatedRow, transport: tr}
				if !found || c.better(best) {
					best, signed, found = c, m.text, true
				}
			}
		}
	}
	return best, signed, found
}

// A row is one table row that applies, with what it produced: a key, or a
// message or signature text.
type row struct {
	row  int
	text string
	key  []byte
}

func (s *search) keysFor(form keyForm) []row {
	var out []row
	for i, km := range keyMistakes {
		if k, ok := km.key(s.secret, form); ok {
			out = append(out, row{row: i, key: k})
		}
	}
	return out
}

// messagesFor returns the distinct messages the message rows compose for t,
// each under the first row that composes it.
func (s *search) messagesFor(t target) []row {
	var out []row
	seen := make(map[string]bool)
	for i, mm := range messageMistakes {
		rule, ms := mm.signed(t, s.msg)
		for _, m := range ms {
			text, ok := compose(rule, m)
			if !ok || seen[text] {
				continue
			}
			seen[text] = true
			out = append(out, row{row: i, text: text})
		}
	}
	return out
}

// renderings returns the texts the text rows write mac as under enc,
// leaving out a mistaken row whose text is the canonical one.
func renderings(mac []byte, enc usersig.Encoding) []row {
	want := textMistakes[0].render(mac, enc)
	out := []row{{row: 0, text: want}}
	for i, tm := range textMistakes[1:] {
		if tm.render == nil || !tm.appliesTo(enc) {
			continue
		}
		if text := tm.render(mac, enc); text != "" && text != want {
			out = append(out, row{row: i + 1, text: text})
		}
	}
	return out
}

// stamped is text as t's signatures carry it: followed by '-' and the
// signing time the signature names, for a timestamped scheme (Chameleon).
func (s *search) stamped(t target, text string) string {
	if t.rule != usersig.UserIDTimestamp {
		return text
	}
	return text + "-" + s.msg.stamp
}
