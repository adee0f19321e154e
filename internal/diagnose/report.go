package diagnose

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/usersig/usersig"
)

// WriteText writes r as 'usersig diagnose' prints it: the answer for the
// scheme asked about, if any; then one paragraph per group of schemes
// explained by the same mistakes over the same signed text, in the order of
// r.Matches (under "Other schemes:" after an answer); or the explanation
// when nothing matches; then the notes.
func (r Report) WriteText(w io.Writer) {
	matches := r.Matches
	if a := r.Asked; a != nil {
		a.write(w)
		matches = others(matches, a)
		if len(matches) > 0 {
			fmt.Fprintln(w, "\nOther schemes:")
		}
	} else if len(matches) == 0 {
		fmt.Fprintln(w, r.Explanation)
	}
	for i, g := range groups(matches) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		g.write(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
}

// write prints the verdict: its headline, then its detail indented.
func (v *Verdict) write(w io.Writer) {
	if v.headline == "" { // a Report read back from JSON
		fmt.Fprintln(w, v.Explanation)
		return
	}
	fmt.Fprintln(w, v.headline)
	if v.detail != "" {
		fmt.Fprintf(w, "  %s\n", v.detail)
	}
}

// others is matches less the asked scheme's and, when it is explained,
// those needing more mistakes than it: beside an answer, a worse fit of
// another scheme is noise (the JSON report keeps every match).
func others(matches []Match, asked *Verdict) []Match {
	var out []Match
	for _, m := range matches {
		if m.Scheme != asked.Scheme && (!asked.Explained || len(m.Mistakes) <= len(asked.Mistakes)) {
			out = append(out, m)
		}
	}
	return out
}

// A group is the schemes one explanation fits: the first match and the
// names of the others.
type group struct {
	first Match
	also  []string
}

func groups(matches []Match) []*group {
	var out []*group
	index := make(map[string]*group)
	for _, m := range matches {
		k := m.Mistake + "\x00" + m.SignedText
		if g, ok := index[k]; ok {
			g.also = append(g.also, m.Scheme)
			continue
		}
		g := &group{first: m}
		index[k] = g
		out = append(out, g)
	}
	return out
}

func (g *group) write(w io.Writer) {
	m := g.first
	also := ""
	if len(g.also) > 0 {
		also = " (also " + strings.Join(g.also, ", ") + ")"
	}
	if m.Valid {
		fmt.Fprintf(w, "The signature is valid for scheme %s%s: the HMAC of %s as %s.\n", m.Scheme, also, strconv.Quote(m.SignedText), encodingOf(m.Scheme))
		return
	}
	fmt.Fprintf(w, "Scheme %s%s, with %s: %s.\n", m.Scheme, also, plural(len(m.Mistakes), "mistake"), m.Mistake)
	fmt.Fprintf(w, "  %s\n", m.detail)
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
