package usertoken

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzDecodeObject: members reads the same members as encoding/json
// decoding into a map (exact names, the last of a repeated name winning,
// escapes undone, invalid UTF-8 as U+FFFD), and accepts exactly the texts
// that are JSON objects.
func FuzzDecodeObject(f *testing.F) {
	for _, s := range []string{
		`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}] } `, `{"sub":"42","SUB":"x","s\u0075b":"y"}`,
		`{"a":"\"}"}`, `{"a":{"b":{"c":[]}}}`, `[]`, `null`, `{"a":1,}`, `{"a" 1}`, `{"a":1}{}`,
		`{"exp":1.5e9,"iat":-0,"nbf":true,"x":null}`, "{\"\xff\":1}", `{"a":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got := map[string]json.RawMessage{}
		m, err := newMembers(b)
		if err == nil {
			for key, value, ok := m.next(); ok; key, value, ok = m.next() {
				got[string(key)] = json.RawMessage(bytes.Clone(value))
			}
		}
		var want map[string]json.RawMessage
		wantErr := json.Unmarshal(b, &want)
		isObject := wantErr == nil && want != nil
		if (err == nil) != isObject {
			t.Fatalf("members err %v, encoding/json err %v (object %v) for %q", err, wantErr, isObject, b)
		}
		if err != nil {
			return
		}
		if len(got) != len(want) {
			t.Fatalf("members %d, encoding/json %d for %q", len(got), len(want), b)
		}
		for k, v := range want {
			if !bytes.Equal(got[k], v) {
				t.Fatalf("member %q: %q, encoding/json %q", k, got[k], v)
			}
		}
	})
}
