package main

import (
	"archive/zip"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// gitRepo makes a repository with a root module, a contrib module, a nested
// module that belongs to neither zip and an untracked file, tags v0.1.0 and
// contrib/x/v0.1.0, and returns its directory.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"init", "-q"},
		{"add", "."},
		{"-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "c"},
		{"tag", "v0.1.0"},
		{"tag", "contrib/x/v0.1.0"},
	} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "untracked.go"), []byte("package m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

var layout = map[string]string{
	"go.mod":              "module example.com/m\n\ngo 1.26.0\n",
	"m.go":                "package m\n",
	"LICENSE":             "license text\n",
	"nested/go.mod":       "module example.com/m/nested\n\ngo 1.26.0\n",
	"nested/n.go":         "package nested\n",
	"contrib/x/go.mod":    "module example.com/m/contrib/x\n\ngo 1.26.0\n\nrequire example.com/m v0.1.0\n",
	"contrib/x/x.go":      "package x\n",
	"contrib/x/x_test.go": "package x\n",
}

func zipNames(t *testing.T, name string) []string {
	t.Helper()
	zr, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return names
}

func TestReleaseWritesWhatTheGoCommandFetches(t *testing.T) {
	repo := gitRepo(t, layout)
	proxy := t.TempDir()
	r := release{repo: repo, version: "v0.1.0", proxy: proxy, maxRootZip: 1 << 20}
	if err := r.run([]string{".", "contrib/x"}); err != nil {
		t.Fatal(err)
	}

	root := filepath.Join(proxy, "example.com", "m", "@v")
	got := zipNames(t, filepath.Join(root, "v0.1.0.zip"))
	want := []string{"example.com/m@v0.1.0/LICENSE", "example.com/m@v0.1.0/go.mod", "example.com/m@v0.1.0/m.go"}
	if !slices.Equal(got, want) {
		t.Errorf("root zip holds %q, want %q (no nested module, no untracked file)", got, want)
	}
	got = zipNames(t, filepath.Join(proxy, "example.com", "m", "contrib", "x", "@v", "v0.1.0.zip"))
	p := "example.com/m/contrib/x@v0.1.0/"
	want = []string{p + "LICENSE", p + "go.mod", p + "x.go", p + "x_test.go"}
	if !slices.Equal(got, want) {
		t.Errorf("contrib zip holds %q, want %q (the root LICENSE added)", got, want)
	}

	mod, err := os.ReadFile(filepath.Join(root, "v0.1.0.mod"))
	if err != nil || string(mod) != layout["go.mod"] {
		t.Errorf(".mod = %q, %v; want the tagged go.mod", mod, err)
	}
	var info struct {
		Version string
		Time    time.Time
	}
	data, err := os.ReadFile(filepath.Join(root, "v0.1.0.info"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &info); err != nil || info.Version != "v0.1.0" || info.Time.IsZero() {
		t.Errorf(".info = %s (%v), want the version and the commit time", data, err)
	}
	list, err := os.ReadFile(filepath.Join(root, "list"))
	if err != nil || string(list) != "v0.1.0\n" {
		t.Errorf("list = %q, %v", list, err)
	}
	// A second run rewrites the files and lists the version once.
	if err := r.run([]string{"."}); err != nil {
		t.Fatal(err)
	}
	if list, _ := os.ReadFile(filepath.Join(root, "list")); string(list) != "v0.1.0\n" {
		t.Errorf("list after a second run = %q", list)
	}
}

func TestReleaseRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		max   int64
		want  string
	}{
		"a replace directive": {
			files: map[string]string{"contrib/x/go.mod": layout["contrib/x/go.mod"] + "replace example.com/m => ../..\n"},
			max:   1 << 20, want: "replace directive",
		},
		"a module path the tag does not name": {
			files: map[string]string{"contrib/x/go.mod": "module example.com/other\n\ngo 1.26.0\n"},
			max:   1 << 20, want: "would not find tag contrib/x/v0.1.0",
		},
		"a root zip over the limit": {max: 100, want: "the module zip is"},
	} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{}
			for k, v := range layout {
				files[k] = v
			}
			for k, v := range tc.files {
				files[k] = v
			}
			r := release{repo: gitRepo(t, files), version: "v0.1.0", proxy: t.TempDir(), maxRootZip: tc.max}
			err := r.run([]string{".", "contrib/x"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
