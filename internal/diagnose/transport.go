package diagnose

import (
	"net/url"
	"strings"
)

// A transportMistake is damage to the signature's text on its way: clean
// undoes it, or returns false when the text shows no such damage.
type transportMistake struct {
	name, explanation string
	clean             func(sig string) (string, bool)
}

// transportMistakes: order breaks ties, earlier rows are the more common
// mistakes. To add a mistake, add a row.
var transportMistakes = []transportMistake{
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
