package usersig

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCoreImportsNoNet: the core package builds on nothing from net/*, so a
// service that only signs pulls in no HTTP stack; the HTTP layer is package
// sighttp. It asks the go command for the package's dependencies, standard
// library included.
func TestCoreImportsNoNet(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the core's dependencies: %v", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/usersig/usersig").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 2 {
		t.Fatalf("go list -deps listed %q, not the core's dependencies", deps)
	}
	for _, pkg := range deps {
		if pkg == "net" || strings.HasPrefix(pkg, "net/") {
			t.Errorf("the core package depends on %s", pkg)
		}
	}
}
