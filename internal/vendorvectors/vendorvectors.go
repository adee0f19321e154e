// Package vendorvectors reads testdata/vendors/*.json, the signatures the
// vendors' own code and samples computed, each in its own language
// (internal/interop/vendors), for the tests
// of package usersig and of the usersig command.
package vendorvectors

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// A File is one preset's vectors, as one generator wrote them.
type File struct {
	Preset    string   `json:"preset"`
	Encoding  string   `json:"encoding"`
	Generator string   `json:"generator"`
	Vectors   []Vector `json:"vectors"`
	// Refused are identities the vendor's rule has nothing to sign for.
	Refused []Vector `json:"refused"`
	// RefusedSecrets are secrets the scheme must refuse (Pylon's hex rule).
	RefusedSecrets []RefusedSecret `json:"refusedSecrets"`
	// SampleDefects explains each Vector.SampleDefect word the file uses.
	SampleDefects map[string]string `json:"sampleDefects"`
}

// A RefusedSecret is a secret New must refuse: Refusal is "malformed"
// (ErrMalformedSecret) or "weak" (ErrWeakSecret).
type RefusedSecret struct {
	Name    string `json:"name"`
	Secret  string `json:"secret"`
	Refusal string `json:"refusal"`
}

// A Vector is one identity and the signature the vendor's snippet gave it.
// Empty strings mean absent.
type Vector struct {
	Name        string `json:"name"`
	Secret      string `json:"secret"`
	UserID      string `json:"userId"`
	Email       string `json:"email"`
	Expires     string `json:"expires"`   // the exact expiry text signed
	ExpiresAt   string `json:"expiresAt"` // the instant, RFC 3339
	Message     string `json:"message"`   // the exact bytes signed
	Signature   string `json:"signature"`
	KnownAnswer bool   `json:"knownAnswer"` // a vendor's published sample, keyed "secret"
	// Timestamp is the Unix seconds a timestamped signature (Chameleon's,
	// in testdata/vendors/timestamped) was made at, as the sample wrote
	// them; "" for every other vector.
	Timestamp string `json:"timestamp"`

	// Where the vendor's own sample or plugin gives something other than
	// the vendor's server behaviour (Signature), SampleSignature is what it
	// gave ("" for nothing at all), SampleMessage what it hashed if that
	// differs from Message, and SampleDefect one word for how it differs:
	// "ascii-secret", "empty-user-id", "esc-js" or "upper-hex".
	SampleSignature string `json:"sampleSignature"`
	SampleMessage   string `json:"sampleMessage"`
	SampleDefect    string `json:"sampleDefect"`
}

// Load reads every *.json in dir, keyed by file name without ".json"
// ("productfruits-dotnet"). It fails on an empty dir or a file with no
// preset or no vectors.
func Load(dir string) (map[string]File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no vendor vectors in %s", dir)
	}
	files := make(map[string]File, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var f File
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		if f.Preset == "" || len(f.Vectors) == 0 {
			return nil, fmt.Errorf("%s: no preset or no vectors", p)
		}
		files[strings.TrimSuffix(filepath.Base(p), ".json")] = f
	}
	return files, nil
}
