// Package diagnose explains why a user identity signature does not verify:
// it tries every preset of package usersig with the usual mistakes, one
// table each for the key, the message, the signature's text and its
// transport, and reports which scheme and which mistakes explain the
// signature. It is the engine behind 'usersig diagnose'; the command only
// reads flags and prints the Report.
//
// The secret is used to compute MACs and never appears in a Report: not in
// an explanation, not in a note, not as a signed text.
package diagnose

import (
	"errors"
	"fmt"
	"sort"
	"strconv"

	"github.com/usersig/usersig"
)

// Input is what the user says was signed, and the signature that fails.
type Input struct {
	UserID string
	Email  string
	// Expires is the expiry text exactly as given ("" for none): for
	// Product Fruits the text the front end sends back.
	Expires string
	// Signature is the text that does not verify, exactly as received.
	Signature string
	// Scheme is the preset the signature is meant for, in any case; "" for
	// any. With one, Run answers for it first (Report.Asked).
	Scheme string
}

// A Report is the outcome of Run, in the shape 'usersig diagnose --json'
// prints.
type Report struct {
	// Asked is the answer for Input.Scheme, or nil without one.
	Asked *Verdict `json:"asked,omitempty"`
	// Matches holds, per scheme that explains the signature, the
	// explanation with the fewest mistakes, most likely first. Never nil.
	// When the signature is valid for a scheme, it holds only the schemes
	// it is valid for.
	Matches []Match `json:"matches"`
	// Notes are remarks for the reader that are not explanations.
	Notes []string `json:"notes,omitempty"`
	// Explanation says what an unexplained signature usually means; empty
	// when Matches is not.
	Explanation string `json:"explanation,omitempty"`
}

// A Match is one scheme and the fewest mistakes that explain the signature
// under it.
type Match struct {
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

// maxSignature bounds the text Run compares; a signature in any form tried
// is at most 191 characters (hex with hyphens).
const maxSignature = 512

// Run explains in.Signature under secret. It first checks whether the
// signature is valid for any preset, and if so reports only that. Otherwise
// it searches every preset × key mistake × message mistake × text mistake ×
// transport mistake (at most one of each kind) and reports, per scheme, the
// explanation with the fewest mistakes, keeping those needing the fewest
// and one more. The work is bounded by the tables' sizes, with one HMAC per
// distinct (key, message).
//
// With in.Scheme it also answers for that scheme alone (Report.Asked):
// valid, the fewest mistakes that explain the signature under it, or what
// the secret, the text and the MAC show when nothing does.
//
// It fails, wrapping usersig.ErrMissingIdentity, when in has neither a user
// id nor an email, with usersig.ParseExpiry's error for an unreadable
// expiry text, and with ErrUnknownScheme for an in.Scheme no preset has.
func Run(in Input, secret []byte) (Report, error) {
	msg, err := newMessage(in)
	if err != nil {
		return Report{}, err
	}
	targets := presetTargets()
	var asked *target
	if in.Scheme != "" {
		t, ok := askedTarget(targets, in.Scheme)
		if !ok {
			return Report{}, ErrUnknownScheme
		}
		asked = &t
	}
	if len(in.Signature) > maxSignature {
		rep := unexplained("Nothing explains this signature: it is " + strconv.Itoa(len(in.Signature)) + " characters long, far longer than any form of an HMAC-SHA256. Check what is being sent.")
		if asked != nil {
			rep.Asked = &Verdict{Scheme: asked.sc.Name, Vendor: asked.sc.Vendor, Mistakes: []string{}, headline: fmt.Sprintf("Not valid for scheme %s, and no common mistake explains it:", asked.sc.Name), detail: rep.Explanation}
			rep.Asked.Explanation = rep.Asked.headline + " " + rep.Asked.detail
		}
		return rep, nil
	}
	s := newSearch(secret, msg, in.Signature)
	var rep Report
	if valid := s.validFor(targets); len(valid) > 0 {
		rep = Report{Matches: valid, Notes: s.otherEncodings(targets, valid)}
	} else if matches := s.explain(targets); len(matches) > 0 {
		rep = Report{Matches: fewest(matches)}
	} else {
		rep = unexplained(noMatchExplanation(in.Signature))
	}
	if asked != nil {
		rep.Asked = s.verdict(*asked, in, secret)
	}
	return rep, nil
}

// ErrUnknownScheme: Input.Scheme names no preset.
var ErrUnknownScheme = errors.New("diagnose: unknown scheme")

func newMessage(in Input) (message, error) {
	if in.UserID == "" && in.Email == "" {
		return message{}, fmt.Errorf("%w: give a user id and/or an email", usersig.ErrMissingIdentity)
	}
	m := message{userID: in.UserID, email: in.Email, expires: in.Expires, stamp: stampOf(in.Signature)}
	if in.Expires != "" {
		at, err := usersig.ParseExpiry(in.Expires)
		if err != nil {
			return message{}, err
		}
		m.expiresAt = at
	}
	return m, nil
}

func unexplained(why string) Report {
	return Report{Matches: []Match{}, Explanation: why}
}

// fewest sorts matches, most likely first, and keeps those with the fewest
// mistakes and those needing one more: with every combination allowed,
// nearly any scheme can be made to fit with enough mistakes, and those fits
// say nothing.
func fewest(matches []Match) []Match {
	sort.SliceStable(matches, func(i, j int) bool {
		a, b := matches[i], matches[j]
		if len(a.Mistakes) != len(b.Mistakes) {
			return len(a.Mistakes) < len(b.Mistakes)
		}
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.order < b.order
	})
	limit := len(matches[0].Mistakes) + 1
	for i, m := range matches {
		if len(m.Mistakes) > limit {
			return matches[:i]
		}
	}
	return matches
}
