package usertoken

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// members walks the members of one JSON object, giving each member's key
// (escapes undone) and raw value. Names match exactly, as JSON.parse and
// the vendors' other decoders read them — encoding/json would fill a
// struct field "sub" from "SUB" or "ſub" — and the caller lets a repeated
// name's last value win, as JSON.parse does. newMembers validates the
// text in full first (json.Valid), so the walk only has to find the
// members of an object it knows to be well formed. It is an iterator, not
// a callback, so the caller's destination stays on its stack (a closure or
// method value would take it to the heap), and it never allocates for a
// key without escapes.
type members struct {
	b    []byte
	i    int
	done bool
}

// newMembers validates b, which must be a JSON object, and starts a walk.
func newMembers(b []byte) (members, error) {
	if !json.Valid(b) {
		return members{}, errNotJSON
	}
	i := skipSpace(b, 0)
	if b[i] != '{' {
		return members{}, errNotObject
	}
	i = skipSpace(b, i+1)
	return members{b: b, i: i, done: b[i] == '}'}, nil
}

// next returns the next member's key (escapes undone) and raw value.
func (m *members) next() (key, value []byte, ok bool) {
	if m.done {
		return nil, nil, false
	}
	b, i := m.b, m.i
	end := skipString(b, i)
	rawKey := b[i+1 : end-1]
	i = skipSpace(b, end)
	i = skipSpace(b, i+1) // the ':'
	start := i
	i = skipValue(b, i)
	key, value = objectKey(rawKey), b[start:i]
	i = skipSpace(b, i)
	if b[i] == '}' {
		m.done = true
	}
	m.i = skipSpace(b, i+1) // past the ','
	return key, value, true
}

var (
	errNotJSON   = errors.New("not JSON")
	errNotObject = errors.New("not a JSON object")
)

// objectKey is the text of a key: its bytes, or, when it has escapes or
// bytes that are not UTF-8, what encoding/json reads (escapes undone,
// invalid UTF-8 as U+FFFD, as Node's Buffer.toString and JSON.parse do).
func objectKey(raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return raw
	}
	var k string
	_ = json.Unmarshal(append(append([]byte{'"'}, raw...), '"'), &k) // valid: json.Valid passed
	return []byte(k)
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just past the string starting at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// skipValue returns the index just past the value starting at b[i].
func skipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
