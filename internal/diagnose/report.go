package diagnose

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/usersig/usersig"
)

// WriteText writes r as 'usersig diagnose' prints it: one paragraph per
// group of schemes explained by the same mistakes over the same signed
// text, in the order of r.Matches, then the notes; or the explanation when
// nothing matches.
func (r Report) WriteText(w io.Writer) {
	if len(r.Matches) == 0 {
		fmt.Fprintln(w, r.Explanation)
	}
	for i, g := range groups(r.Matches) {
		if i > 0 {
			fmt.Fprintln(w)
		}
		g.write(w)
	}
	for _, n := range r.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
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
