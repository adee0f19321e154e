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
}

// A Report is the outcome of Run, in the shape 'usersig diagnose --json'
// prints.
type Report struct {
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
// It fails, wrapping usersig.ErrMissingIdentity, when in has neither a user
// id nor an email, and with usersig.ParseExpiry's error for an unreadable
// expiry text.
func Run(in Input, secret []byte) (Report, error) {
	msg, err := newMessage(in)
	if err != nil {
		return Report{}, err
	}
	if len(in.Signature) > maxSignature {
		return unexplained("Nothing explains this signature: it is " + strconv.Itoa(len(in.Signature)) + " characters long, far longer than any form of an HMAC-SHA256. Check what is being sent."), nil
	}
	s := newSearch(secret, msg, in.Signature)
	targets := presetTargets()
	if valid := s.validFor(targets); len(valid) > 0 {
		return Report{Matches: valid}, nil
	}
	matches := s.explain(targets)
	if len(matches) == 0 {
		return unexplained(noMatchExplanation(in.Signature)), nil
	}
	return Report{Matches: fewest(matches)}, nil
}

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
