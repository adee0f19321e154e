package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/usersig/usersig"
)

const diagnoseUsage = `usage: usersig diagnose --signature SIG [--user-id ID] [--email EMAIL] [--expires TEXT] [--json]

Explains a signature that does not verify. It needs no scheme: it tries every
preset, and for each the usual mistakes, one table each (see below), and
says in plain words which scheme and which mistake explain the signature.
A match with no mistake says "the signature is valid for scheme X".

Mistakes tried, alone and combined (at most one of each kind):
  the text:     hex vs base64 vs base64url, upper-case hex, missing '='
                padding, '+' turned into a space, base64 of the hex digest,
                hex without leading zeros or with hyphens, surrounding
                whitespace or quotes, a 0x prefix, URL-encoding
  the message:  the email lower-cased and/or trimmed, the user id trimmed,
                user id and email swapped or combined (id+email,
                email+id), an integer id written as 123.0, the expiry text
                in .NET's form (7 digits) vs JavaScript's (3), or left out
  the secret:   base64- or hex-decoded, trimmed, or with a newline added

The report goes to stdout, most likely explanation first; with --json it is
{"matches":[{"scheme","vendor","mistake","mistakes","explanation",
"signedText","valid"}],"notes":[...],"explanation":"..."}.

Exit codes: 0 explained (by a scheme, with or without a mistake); 1 nothing
explains it (usually another secret: see the report); 2 usage error.
`

// diagInput is what diagnose was told about the identity.
type diagInput struct {
	userID, email, expires string
	expiresAt              time.Time
}

// A keyMistake is a way the key used to sign differs from the secret given.
type keyMistake struct {
	name, explanation string
	key               func(secret []byte) ([]byte, bool)
}

// A messageMistake is a way the text signed differs from what the scheme
// signs for the identity given. signed returns the text that was signed
// under rule r, or false when the mistake does not apply.
type messageMistake struct {
	name, explanation string
	signed            func(r usersig.MessageRule, in diagInput) (string, bool)
}

// A textMistake is a way the signature's text differs from the scheme's
// canonical text of the right MAC: render writes the MAC as the mistaken
// text. It applies to schemes whose encoding is in from (all when nil).
type textMistake struct {
	name, explanation string
	from              []usersig.Encoding
	render            func(mac []byte, enc usersig.Encoding) string
}

// A transportMistake is damage to the text on its way: clean undoes it.
type transportMistake struct {
	name, explanation string
	clean             func(sig string) (string, bool)
}

// The mistake tables. The first entry of the key, message and text tables
// is "no mistake". Order matters only to break ties: earlier entries are
// the more common mistakes. To add a mistake, add a row.
var (
	keyMistakes = []keyMistake{
		{"", "", func(s []byte) ([]byte, bool) { return s, true }},
		{"secret base64-decoded", "The signature was made with the secret base64-decoded into bytes; vendors use the secret's text itself as the HMAC key, even when it looks like base64.", decodeSecret(base64Decode)},
		{"secret hex-decoded", "The signature was made with the secret hex-decoded into bytes; vendors use the secret's text itself as the HMAC key, even when it looks like hex.", decodeSecret(hex.DecodeString)},
		{"secret trimmed", "The signature was made with the secret without the surrounding whitespace the secret given has: remove the whitespace (a copy-paste or file artefact).", func(s []byte) ([]byte, bool) {
			t := []byte(strings.TrimSpace(string(s)))
			return t, len(t) > 0 && len(t) != len(s)
		}},
		{"secret with a trailing newline", "The signature was made with a newline after the secret (read from a file, or echo, without trimming): strip it where the signature is made.", func(s []byte) ([]byte, bool) {
			return append(append([]byte(nil), s...), '\n'), true
		}},
	}

	messageMistakes = []messageMistake{
		{"", "", func(r usersig.MessageRule, in diagInput) (string, bool) {
			return compose(r, in)
		}},
		{"email lower-cased", "The hash was computed over the lower-cased email, but the email given has upper-case letters. The vendor hashes the exact text the widget is given: sign the same string you pass to the widget (lower-case it in both places or in neither).", func(r usersig.MessageRule, in diagInput) (string, bool) {
			in.email = strings.ToLower(in.email)
			return compose(r, in)
		}},
		{"email trimmed", "The hash was computed over the email without the surrounding whitespace the email given has. The vendor hashes the exact text the widget is given: trim it before both signing and passing it to the widget.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			in.email = strings.TrimSpace(in.email)
			return compose(r, in)
		}},
		{"email lower-cased and trimmed", "The hash was computed over the email lower-cased and trimmed, but the email given differs in case and whitespace. The vendor hashes the exact text the widget is given: normalise it the same way in both places.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			in.email = strings.ToLower(strings.TrimSpace(in.email))
			return compose(r, in)
		}},
		{"user id trimmed", "The hash was computed over the user id without the surrounding whitespace the user id given has: sign exactly the text the widget is given.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			in.userID = strings.TrimSpace(in.userID)
			return compose(r, in)
		}},
		{"user id and email swapped", "The hash was computed over the other identifier: the email where the scheme signs the user id, or the reverse (or the two were passed swapped). Sign the identifier the vendor checks, the same one the widget is given.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			in.userID, in.email = in.email, in.userID
			return compose(r, in)
		}},
		{"user id + email", "The hash was computed over the user id followed by the email (Helpshift's rule), but this scheme does not sign that text.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			return in.userID + in.email, in.userID != "" && in.email != ""
		}},
		{"email + user id", "The hash was computed over the email followed by the user id: the wrong fields, or in the wrong order.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			return in.email + in.userID, in.userID != "" && in.email != ""
		}},
		{"number formatted differently", "The hash was computed over the numeric user id written another way (123 vs 123.0: a float somewhere on the way). Sign the id as the exact string the widget is given.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			if isDigits(in.userID) {
				in.userID += ".0"
			} else if s, ok := strings.CutSuffix(in.userID, ".0"); ok && isDigits(s) {
				in.userID = s
			} else {
				return "", false
			}
			return compose(r, in)
		}},
		{"expiry in .NET form", "The hash was computed over the expiry written as .NET's ToString(\"o\") writes it, with seven fraction digits (2026-11-22T10:00:00.0000000Z), but the expiry given is another text. The expiry text sent back (user.hmac.expiration) must be the exact text signed: send that text unchanged, or sign the text you send.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			if r != usersig.UserIDExpiry || in.expires == "" {
				return "", false
			}
			in.expires = in.expiresAt.UTC().Format("2006-01-02T15:04:05.0000000Z")
			return compose(r, in)
		}},
		{"expiry in JavaScript form", "The hash was computed over the expiry written as JavaScript's toJSON writes it, with three fraction digits (2026-11-22T10:00:00.000Z), but the expiry given is another text. The expiry text sent back (user.hmac.expiration) must be the exact text signed: send that text unchanged, or sign the text you send.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			if r != usersig.UserIDExpiry || in.expires == "" {
				return "", false
			}
			js, err := usersig.FormatExpiry(in.expiresAt)
			if err != nil {
				return "", false
			}
			in.expires = js
			return compose(r, in)
		}},
		{"expiry left out", "The hash was computed over the user id alone, but an expiry is given: either sign the user id followed by the exact expiry text, or send no expiry.", func(r usersig.MessageRule, in diagInput) (string, bool) {
			if r != usersig.UserIDExpiry || in.expires == "" {
				return "", false
			}
			in.expires = ""
			return compose(r, in)
		}},
	}

	base64Encodings = []usersig.Encoding{usersig.Base64, usersig.Base64URL}
	hexEncoding     = []usersig.Encoding{usersig.Hex}

	textMistakes = []textMistake{
		{"", "", nil, canonical},
		{"upper-case hex", "The signature is the right HMAC in upper-case hex, but this scheme compares lowercase hex exactly: lower-case it (Node's digest('hex'), Python's hexdigest() and PHP's hash_hmac give lowercase; .NET's Convert.ToHexString gives upper case).", hexEncoding, func(mac []byte, _ usersig.Encoding) string {
			return strings.ToUpper(hex.EncodeToString(mac))
		}},
		{"missing '=' padding", "The signature is the right HMAC in base64 but lost its trailing '=' padding (stripped on the way, or made with an unpadded encoder); this scheme expects the 44-character padded text.", []usersig.Encoding{usersig.Base64}, func(mac []byte, _ usersig.Encoding) string {
			return base64.RawStdEncoding.EncodeToString(mac)
		}},
		{"'+' turned into a space", "The signature is the right HMAC in base64, but each '+' became a space: it went through a URL or form without escaping. URL-encode it (encodeURIComponent) or send it in a header or a JSON body.", []usersig.Encoding{usersig.Base64}, func(mac []byte, _ usersig.Encoding) string {
			s := base64.StdEncoding.EncodeToString(mac)
			if !strings.Contains(s, "+") {
				return ""
			}
			return strings.ReplaceAll(s, "+", " ")
		}},
		{"hex instead of base64", "The signature is the right HMAC written as hex, but this scheme expects base64: encode the 32 raw MAC bytes as base64 (Node: digest('base64'); Python: base64.b64encode(h.digest())).", base64Encodings, func(mac []byte, _ usersig.Encoding) string {
			return hex.EncodeToString(mac)
		}},
		{"upper-case hex instead of base64", "The signature is the right HMAC written as upper-case hex, but this scheme expects base64: encode the 32 raw MAC bytes as base64.", base64Encodings, func(mac []byte, _ usersig.Encoding) string {
			return strings.ToUpper(hex.EncodeToString(mac))
		}},
		{"base64 instead of hex", "The signature is the right HMAC written as base64, but this scheme expects lowercase hex (Node: digest('hex'); Python: hexdigest()).", hexEncoding, func(mac []byte, _ usersig.Encoding) string {
			return base64.StdEncoding.EncodeToString(mac)
		}},
		{"base64url instead of hex", "The signature is the right HMAC written as base64url, but this scheme expects lowercase hex (Node: digest('hex'); Python: hexdigest()).", hexEncoding, func(mac []byte, _ usersig.Encoding) string {
			return base64.RawURLEncoding.EncodeToString(mac)
		}},
		{"base64 instead of base64url", "The signature is the right HMAC in standard base64 ('+', '/', '=' padding), but this scheme expects unpadded base64url ('-', '_').", []usersig.Encoding{usersig.Base64URL}, func(mac []byte, _ usersig.Encoding) string {
			return base64.StdEncoding.EncodeToString(mac)
		}},
		{"base64url instead of base64", "The signature is the right HMAC in base64url ('-', '_', no padding), but this scheme expects standard base64 ('+', '/', '=' padding).", []usersig.Encoding{usersig.Base64}, func(mac []byte, _ usersig.Encoding) string {
			return base64.RawURLEncoding.EncodeToString(mac)
		}},
		{"base64 of the hex digest", "The signature is the base64 of the hex text of the right HMAC (PHP's base64_encode(hash_hmac(...)) without the raw-output flag, or Buffer.from(hex)): encode the 32 raw MAC bytes, not the hex text.", nil, func(mac []byte, _ usersig.Encoding) string {
			return base64.StdEncoding.EncodeToString([]byte(hex.EncodeToString(mac)))
		}},
		{"hex without zero padding", "The signature is hand-rolled hex that drops each byte's leading zero (0x0a written as \"a\"): format each byte with two digits (%02x), or use the platform's hex encoder.", hexEncoding, func(mac []byte, _ usersig.Encoding) string {
			var b strings.Builder
			for _, c := range mac {
				b.WriteString(strconv.FormatUint(uint64(c), 16))
			}
			return b.String()
		}},
		{"hex as a number", "The signature is the right HMAC as hex with its leading zeros dropped, as a big-integer conversion writes it (Java's new BigInteger(1, mac).toString(16)): pad it to 64 digits.", hexEncoding, func(mac []byte, _ usersig.Encoding) string {
			return strings.TrimLeft(hex.EncodeToString(mac), "0")
		}},
		{"hex with hyphens", "The signature is .NET's BitConverter.ToString(mac): upper-case hex pairs joined by hyphens. Use Convert.ToHexString(mac).ToLowerInvariant() for hex or Convert.ToBase64String(mac) for base64.", nil, func(mac []byte, _ usersig.Encoding) string {
			h := strings.ToUpper(hex.EncodeToString(mac))
			var b strings.Builder
			for i := 0; i < len(h); i += 2 {
				if i > 0 {
					b.WriteByte('-')
				}
				b.WriteString(h[i : i+2])
			}
			return b.String()
		}},
	}

	transportMistakes = []transportMistake{
		{"surrounding whitespace", "The signature text has surrounding whitespace or a line break: send the text alone.", func(s string) (string, bool) {
			t := strings.TrimSpace(s)
			return t, t != s
		}},
		{"surrounding quotes", "The signature text is wrapped in quotes (JSON-encoded twice, or copied with its quotes): send the text alone.", func(s string) (string, bool) {
			if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
				return s[1 : len(s)-1], true
			}
			return s, false
		}},
		{"0x prefix", "The signature has a 0x prefix: send the digits alone.", func(s string) (string, bool) {
			if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
				return s[2:], true
			}
			return s, false
		}},
		{"URL-encoded", "The signature is still percent-encoded (%2B, %2F, %3D): it was URL-encoded twice or never decoded. Decode it once before checking, or encode it once when sending.", func(s string) (string, bool) {
			if !strings.Contains(s, "%") {
				return s, false
			}
			t, err := url.PathUnescape(s)
			return t, err == nil && t != s
		}},
	}
)

// compose is the text a MessageRule signs for in, with the expiry as the
// exact text given (Product Fruits' server checks the text it receives).
func compose(r usersig.MessageRule, in diagInput) (string, bool) {
	if r == usersig.UserIDExpiry {
		return in.userID + in.expires, in.userID != ""
	}
	b, err := r.AppendMessage(nil, usersig.Identity{UserID: in.userID, Email: in.email, ExpiresAt: in.expiresAt})
	return string(b), err == nil
}

func canonical(mac []byte, enc usersig.Encoding) string {
	return string(enc.AppendEncode(nil, mac))
}

func base64Decode(s string) ([]byte, error) {
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		var b []byte
		if b, err = enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, err
}

// decodeSecret applies a decoder to secrets that look encoded (at least 16
// characters, so that short words are not taken for base64).
func decodeSecret(decode func(string) ([]byte, error)) func([]byte) ([]byte, bool) {
	return func(s []byte) ([]byte, bool) {
		if len(s) < 16 {
			return nil, false
		}
		b, err := decode(string(s))
		return b, err == nil && len(b) > 0
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func (m textMistake) appliesTo(enc usersig.Encoding) bool {
	if m.from == nil {
		return true
	}
	for _, e := range m.from {
		if e == enc {
			return true
		}
	}
	return false
}

// A diagMatch is one scheme and the fewest mistakes that explain the
// signature under it.
type diagMatch struct {
	Scheme      string   `json:"scheme"`
	Vendor      string   `json:"vendor"`
	Mistake     string   `json:"mistake"`  // "none", or the mistakes joined with ", "
	Mistakes    []string `json:"mistakes"` // empty when valid
	Explanation string   `json:"explanation"`
	SignedText  string   `json:"signedText"` // the exact text the HMAC was computed over
	Valid       bool     `json:"valid"`      // no mistake: the signature verifies for this scheme

	order  int    // preset order, for sorting
	rank   int    // sum of the mistakes' rows in their tables: lower is more common
	detail string // the mistakes' explanations and the signed text, for text output
}

// diagReport is diagnose --json's object.
type diagReport struct {
	Matches     []diagMatch `json:"matches"`
	Notes       []string    `json:"notes,omitempty"`
	Explanation string      `json:"explanation,omitempty"` // when nothing matches
}

// maxDiagnoseSignature bounds the text diagnose compares; a signature in any
// form tried is at most 191 characters (hex with hyphens).
const maxDiagnoseSignature = 512

func runDiagnose(e *env, args []string) int {
	fs := newFlagSet("diagnose")
	var (
		signature string
		id        identityFlags
		src       secretSource
		asJSON    bool
	)
	fs.StringVar(&signature, "signature", "", "the signature text `SIG` that does not verify, exactly as sent")
	id.register(fs)
	src.register(fs)
	fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of text")
	if code, ok := e.parse(fs, diagnoseUsage, args); !ok {
		return code
	}
	if signature == "" {
		return e.usageError(fs.Name(), "--signature is required")
	}
	if id.userID == "" && id.email == "" {
		return e.usageError(fs.Name(), "give --user-id and/or --email: the identity the signature should vouch for")
	}
	expiresAt, err := id.expiry()
	if err != nil {
		return e.usageError(fs.Name(), "--expires: "+expiryErrorText(err))
	}
	secret, msg := src.load(e)
	if msg != "" {
		return e.usageError(fs.Name(), msg)
	}
	in := diagInput{userID: id.userID, email: id.email, expires: id.expires, expiresAt: expiresAt}
	report := diagnose(secret, in, signature)
	if !expiresAt.IsZero() && !e.now().Before(expiresAt) {
		report.Notes = append(report.Notes, fmt.Sprintf("The expiry %s has passed (now %s): even a valid signature is refused as expired.", id.expires, e.now().UTC().Format(time.RFC3339)))
	}
	code := exitOK
	if len(report.Matches) == 0 {
		code = exitInvalid
	}
	if asJSON {
		if report.Matches == nil {
			report.Matches = []diagMatch{}
		}
		if c := e.writeJSON(report); c != exitOK {
			return c
		}
		return code
	}
	writeDiagnosis(e.stdout, report)
	return code
}

// writeDiagnosis prints the report as text: one paragraph per group of
// schemes explained by the same mistakes over the same signed text, the
// fewest mistakes first.
func writeDiagnosis(w io.Writer, report diagReport) {
	if len(report.Matches) == 0 {
		fmt.Fprintln(w, report.Explanation)
	}
	type group struct {
		first   diagMatch
		schemes []string
	}
	var groups []*group
	index := make(map[string]*group)
	for _, m := range report.Matches {
		k := m.Mistake + "\x00" + m.SignedText
		if g, ok := index[k]; ok {
			g.schemes = append(g.schemes, m.Scheme)
			continue
		}
		g := &group{first: m, schemes: []string{m.Scheme}}
		index[k] = g
		groups = append(groups, g)
	}
	for i, g := range groups {
		if i > 0 {
			fmt.Fprintln(w)
		}
		m := g.first
		also := ""
		if len(g.schemes) > 1 {
			also = " (also " + strings.Join(g.schemes[1:], ", ") + ")"
		}
		if m.Valid {
			fmt.Fprintf(w, "The signature is valid for scheme %s%s: the HMAC of %s as %s.\n", m.Scheme, also, strconv.Quote(m.SignedText), encodingOf(m.Scheme))
			continue
		}
		fmt.Fprintf(w, "Scheme %s%s, with %s: %s.\n", m.Scheme, also, plural(len(m.Mistakes), "mistake"), m.Mistake)
		fmt.Fprintf(w, "  %s\n", m.detail)
	}
	for _, n := range report.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
}

func encodingOf(scheme string) string {
	sc, _ := usersig.LookupScheme(scheme)
	return sc.Encoding.String()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// diagnose searches every preset × key mistake × message mistake × text
// mistake × transport mistake (each table's rows, at most one of each kind)
// for the given signature and returns, per scheme, the explanation with the
// fewest mistakes. The search is bounded by the tables' sizes: at most
// 18 schemes × 5 keys × 12 messages × 14 texts × 5 transports string
// comparisons, with one HMAC per distinct (key, message).
func diagnose(secret []byte, in diagInput, signature string) diagReport {
	var report diagReport
	if len(signature) > maxDiagnoseSignature {
		report.Explanation = "Nothing explains this signature: it is " + strconv.Itoa(len(signature)) + " characters long, far longer than any form of an HMAC-SHA256. Check what is being sent."
		return report
	}
	// The texts to compare: as given, and with each transport mistake undone.
	type candidate struct {
		text    string
		mistake int // index in transportMistakes, or -1
	}
	cands := []candidate{{signature, -1}}
	for i, tm := range transportMistakes {
		if t, ok := tm.clean(signature); ok && t != "" {
			cands = append(cands, candidate{t, i})
		}
	}
	type keyed struct {
		key     []byte
		mistake int
	}
	var keys []keyed
	for i, km := range keyMistakes {
		if k, ok := km.key(secret); ok {
			keys = append(keys, keyed{k, i})
		}
	}
	macs := make(map[string][]byte) // key index + message -> MAC
	macOf := func(ki int, msg string) []byte {
		id := strconv.Itoa(ki) + "\x00" + msg
		if m, ok := macs[id]; ok {
			return m
		}
		h := hmac.New(sha256.New, keys[ki].key)
		h.Write([]byte(msg))
		m := h.Sum(nil)
		macs[id] = m
		return m
	}
	for order, sc := range usersig.Schemes() {
		rule, ok := sc.Composer.(usersig.MessageRule)
		if !ok {
			continue
		}
		var best *diagMatch
		bestN, bestRank := 0, 0
		seen := make(map[string]bool)
		for mi, mm := range messageMistakes {
			msg, ok := mm.signed(rule, in)
			if !ok || seen[msg] {
				continue
			}
			seen[msg] = true
			for ki, k := range keys {
				mac := macOf(ki, msg)
				for ti, tm := range textMistakes {
					if !tm.appliesTo(sc.Encoding) {
						continue
					}
					text := tm.render(mac, sc.Encoding)
					if text == "" || (ti > 0 && text == canonical(mac, sc.Encoding)) {
						continue
					}
					for _, c := range cands {
						if c.text != text {
							continue
						}
						var names, expls []string
						add := func(name, expl string) {
							if name != "" {
								names = append(names, name)
								expls = append(expls, expl)
							}
						}
						km := keyMistakes[k.mistake]
						add(km.name, km.explanation)
						add(mm.name, mm.explanation)
						add(tm.name, tm.explanation)
						if c.mistake >= 0 {
							add(transportMistakes[c.mistake].name, transportMistakes[c.mistake].explanation)
						}
						// Ties go to the rows nearer the top of their
						// tables: the more common mistakes.
						rank := k.mistake + mi + ti + c.mistake + 1
						if best != nil && (len(names) > bestN || len(names) == bestN && rank >= bestRank) {
							continue
						}
						m := newMatch(sc, order, names, expls, msg)
						m.rank = rank
						best, bestN, bestRank = &m, len(names), rank
					}
				}
			}
		}
		if best != nil {
			report.Matches = append(report.Matches, *best)
		}
	}
	sort.SliceStable(report.Matches, func(i, j int) bool {
		a, b := report.Matches[i], report.Matches[j]
		if len(a.Mistakes) != len(b.Mistakes) {
			return len(a.Mistakes) < len(b.Mistakes)
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.order < b.order
	})
	if len(report.Matches) == 0 {
		report.Explanation = noMatchExplanation(signature)
		return report
	}
	// Keep the explanations with the fewest mistakes and those needing one
	// more: with every combination allowed, nearly any scheme can be made to
	// fit with enough mistakes, and those fits say nothing.
	limit := len(report.Matches[0].Mistakes) + 1
	for i, m := range report.Matches {
		if len(m.Mistakes) > limit {
			report.Matches = report.Matches[:i]
			break
		}
	}
	return report
}

func newMatch(sc usersig.Scheme, order int, names, expls []string, msg string) diagMatch {
	m := diagMatch{Scheme: sc.Name, Vendor: sc.Vendor, Mistakes: names, SignedText: msg, order: order}
	about := fmt.Sprintf("%s signs the %s, as %s", sc.Vendor, sc.Describe(), sc.Encoding)
	if len(names) == 0 {
		m.Valid = true
		m.Mistake = "none"
		m.Mistakes = []string{}
		m.Explanation = fmt.Sprintf("the signature is valid for scheme %s: %s; the HMAC was computed over %s.", sc.Name, about, strconv.Quote(msg))
		return m
	}
	m.Mistake = strings.Join(names, ", ")
	m.detail = fmt.Sprintf("%s The HMAC was computed over %s.", strings.Join(expls, " "), strconv.Quote(msg))
	m.Explanation = fmt.Sprintf("scheme %s, %s: %s (%s.)", sc.Name, m.Mistake, m.detail, about)
	return m
}

// noMatchExplanation says what an unexplained signature usually means, with
// what its shape tells.
func noMatchExplanation(sig string) string {
	var b strings.Builder
	b.WriteString("No scheme and no common mistake explains this signature with this secret and identity. ")
	b.WriteString(shapeOf(sig))
	b.WriteString(" This usually means it was made with a different secret: the vendor's API key, app id or publishable key instead of the identity-verification secret; another platform's or workspace's secret (Intercom has separate web, iOS and Android secrets; test and production apps differ); or a secret that has since been rotated. Otherwise it was made over a different user id or email than the ones given: check the exact values the backend signed, or a custom scheme not among the presets.")
	return b.String()
}

// shapeOf describes what the signature text decodes to.
func shapeOf(sig string) string {
	s := strings.TrimSpace(sig)
	if b, err := hex.DecodeString(s); err == nil {
		return describeLen(len(b), "hex")
	}
	for _, enc := range []struct {
		name string
		e    *base64.Encoding
	}{{"base64", base64.StdEncoding}, {"base64", base64.RawStdEncoding}, {"base64url", base64.RawURLEncoding}, {"base64url", base64.URLEncoding}} {
		if b, err := enc.e.DecodeString(s); err == nil {
			return describeLen(len(b), enc.name)
		}
	}
	return "The text is neither hex nor base64, so it is not a signature in any form tried."
}

func describeLen(n int, enc string) string {
	switch n {
	case 32:
		return "It is a well-formed 32-byte HMAC-SHA256 in " + enc + ", so the format is right and the key or the signed text differs."
	case 20:
		return "It decodes from " + enc + " to 20 bytes: that is SHA-1 (HMAC-SHA1), not HMAC-SHA256."
	case 64:
		return "It decodes from " + enc + " to 64 bytes: HMAC-SHA512, or the hex text of a SHA-256 encoded again."
	}
	return fmt.Sprintf("It decodes from %s to %d bytes, not the 32 of an HMAC-SHA256: truncated, or not this kind of signature.", enc, n)
}
