// Command release writes what a module proxy serves for one release of the
// modules in this repository — the .info, .mod and .zip of each module at
// its tag, and the @v/list — into a directory that GOPROXY=file://<dir>
// serves. The release dry run (.ci/release-dryrun) builds and tests fresh
// modules against it, so a tag is tried the way a user's go command will
// fetch it before it is pushed.
//
// Usage:
//
//	go run . -repo <git worktree> -version v0.1.0 -proxy <dir> . contrib/ginsig ...
//
// Each argument is a module directory relative to the repository root. The
// module at "." is tagged <version>; the one at contrib/ginsig is tagged
// contrib/ginsig/<version> and its module path must be the root's path +
// "/contrib/ginsig", which is how the go command finds the tag of a module
// in a subdirectory. The tags must exist in the repository.
//
// The zips are made by golang.org/x/mod/zip.CreateFromVCS from `git archive`
// of the tag: what the go command itself puts in a module zip, so nested
// modules, ignored and untracked files are left out as they will be, and a
// subdirectory module gets the root LICENSE. A go.mod with a replace
// directive is refused (a dependent ignores it, so the release would not
// build for anyone but us), and so is a root module zip of -max-root-zip
// bytes or more.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

func main() {
	repo := flag.String("repo", "", "the repository's git worktree (the tags must exist there)")
	version := flag.String("version", "", "the version to release, e.g. v0.1.0")
	proxy := flag.String("proxy", "", "the directory to write the module proxy files into")
	maxRootZip := flag.Int64("max-root-zip", 1_500_000, "refuse a root module zip of this many bytes or more")
	flag.Parse()
	if *repo == "" || *proxy == "" || !semver.IsValid(*version) || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: release -repo <dir> -version vX.Y.Z -proxy <dir> <module dir>...")
		os.Exit(2)
	}
	r := release{repo: *repo, version: *version, proxy: *proxy, maxRootZip: *maxRootZip}
	if err := r.run(flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "release:", err)
		os.Exit(1)
	}
}

type release struct {
	repo, version, proxy string
	maxRootZip           int64
}

func (r release) run(dirs []string) error {
	repo, err := filepath.Abs(r.repo)
	if err != nil {
		return err
	}
	r.repo = repo
	root, err := r.goMod(r.tag("."), ".")
	if err != nil {
		return err
	}
	for _, dir := range dirs {
		if err := r.module(root.Module.Mod.Path, path.Clean(filepath.ToSlash(dir))); err != nil {
			return err
		}
	}
	return nil
}

// tag is the git tag of the module in dir: the go command looks for the
// version of a module in a subdirectory under that directory's prefix.
func (r release) tag(dir string) string {
	if dir == "." {
		return r.version
	}
	return dir + "/" + r.version
}

// module writes the proxy files of the module in dir at its tag.
func (r release) module(rootPath, dir string) error {
	tag := r.tag(dir)
	mf, err := r.goMod(tag, dir)
	if err != nil {
		return err
	}
	modPath := mf.Module.Mod.Path
	if want := path.Join(rootPath, dir); modPath != want {
		return fmt.Errorf("%s/go.mod: module %s, want %s: the go command would not find tag %s for it", dir, modPath, want, tag)
	}
	if len(mf.Replace) > 0 {
		return fmt.Errorf("%s/go.mod at %s has a replace directive; a dependent ignores it, so the release would not build for users", dir, tag)
	}
	m := module.Version{Path: modPath, Version: r.version}
	if err := module.Check(m.Path, m.Version); err != nil {
		return err
	}
	escPath, err := module.EscapePath(m.Path)
	if err != nil {
		return err
	}
	escVersion, err := module.EscapeVersion(m.Version)
	if err != nil {
		return err
	}
	vdir := filepath.Join(r.proxy, filepath.FromSlash(escPath), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return err
	}
	base := filepath.Join(vdir, escVersion)

	when, err := r.git("log", "-1", "--format=%cI", tag)
	if err != nil {
		return err
	}
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(string(when)))
	if err != nil {
		return fmt.Errorf("commit time of %s: %w", tag, err)
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{m.Version, t.UTC()})
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".info", info, 0o644); err != nil {
		return err
	}
	goMod, err := r.git("show", tag+":"+goModPath(dir))
	if err != nil {
		return err
	}
	if err := os.WriteFile(base+".mod", goMod, 0o644); err != nil {
		return err
	}
	if err := r.zip(m, tag, dir, base+".zip"); err != nil {
		return err
	}
	if err := appendLine(filepath.Join(vdir, "list"), m.Version); err != nil {
		return err
	}

	cf, err := zip.CheckZip(m, base+".zip")
	if err != nil {
		return fmt.Errorf("%s: the zip is not one the go command accepts: %w", m, err)
	}
	st, err := os.Stat(base + ".zip")
	if err != nil {
		return err
	}
	fmt.Printf("%-55s tag %-28s zip %9d bytes (%.2f MB), %d files\n",
		m.String(), tag, st.Size(), float64(st.Size())/1e6, len(cf.Valid))
	if dir == "." && st.Size() >= r.maxRootZip {
		return fmt.Errorf("%s: the module zip is %d bytes, the limit is %d: every `go get` downloads it", m, st.Size(), r.maxRootZip)
	}
	return nil
}

func (r release) zip(m module.Version, tag, dir, out string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	subdir := dir
	if dir == "." {
		subdir = ""
	}
	return zip.CreateFromVCS(f, m, r.repo, tag, subdir)
}

// goMod parses the go.mod of the module in dir as tagged.
func (r release) goMod(tag, dir string) (*modfile.File, error) {
	name := goModPath(dir)
	data, err := r.git("show", tag+":"+name)
	if err != nil {
		return nil, err
	}
	mf, err := modfile.Parse(name, data, nil)
	if err != nil {
		return nil, err
	}
	if mf.Module == nil {
		return nil, fmt.Errorf("%s at %s: no module line", name, tag)
	}
	return mf, nil
}

func goModPath(dir string) string {
	if dir == "." {
		return "go.mod"
	}
	return dir + "/go.mod"
}

func (r release) git(args ...string) ([]byte, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = r.repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return out, nil
}

// appendLine adds version to an @v/list file unless it is there already.
func appendLine(name, version string) error {
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, line := range strings.Split(string(old), "\n") {
		if line == version {
			return nil
		}
	}
	return os.WriteFile(name, append(old, version+"\n"...), 0o644)
}
