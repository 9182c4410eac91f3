// Package archtest checks the architecture's import rules, which the folder
// tree promises (README.md, Architecture): the crypto core and the server
// stay free of Fyne and cgo, crypto also of pion, and app/ of Fyne and of
// the server.
package archtest

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

type pkg struct {
	ImportPath string
	Standard   bool
	CgoFiles   []string
	Deps       []string
}

func list(t *testing.T, patterns ...string) []pkg {
	t.Helper()
	args := append([]string{"list", "-json=ImportPath,Standard,CgoFiles,Deps", "-deps"}, patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestImportRules(t *testing.T) {
	rules := []struct {
		patterns  []string
		forbidden []string
		noCgo     bool
	}{
		{[]string{"./crypto/..."}, []string{"fyne.io/", "github.com/pion/", "github.com/gen2brain/malgo"}, true},
		{[]string{"./server/...", "./signaling/...", "./cmd/parley-server"}, []string{"fyne.io/", "github.com/gen2brain/malgo"}, true},
		// The local organization is handed in from main.go (app.LocalOrg):
		// the application core links neither the server nor its SQLite.
		{[]string{"./app/..."}, []string{"fyne.io/", "github.com/parley-voip/parley/server", "modernc.org/sqlite", "golang.org/x/crypto/argon2"}, false},
		// The codecs client and media service share need nothing of Parley's.
		{[]string{"./media/rtpcodec"}, []string{"github.com/parley-voip/parley/server", "github.com/parley-voip/parley/app",
			"github.com/parley-voip/parley/signaling", "github.com/parley-voip/parley/crypto", "github.com/parley-voip/parley/media/rtc"}, true},
		// Both clients of the HTTP API share package api, which needs
		// nothing of Parley's.
		{[]string{"./api/..."}, []string{"github.com/parley-voip/parley/server", "github.com/parley-voip/parley/app",
			"github.com/parley-voip/parley/signaling", "github.com/parley-voip/parley/media", "github.com/parley-voip/parley/crypto"}, true},
	}
	for _, r := range rules {
		t.Run(strings.Join(r.patterns, ","), func(t *testing.T) {
			pkgs := list(t, r.patterns...)
			if len(pkgs) == 0 {
				t.Fatal("no packages listed")
			}
			for _, p := range pkgs {
				for _, f := range r.forbidden {
					if strings.HasPrefix(p.ImportPath, f) {
						t.Errorf("%s is imported by %v, which must not depend on %s", p.ImportPath, r.patterns, f)
					}
				}
				if r.noCgo && !p.Standard && len(p.CgoFiles) > 0 {
					t.Errorf("%s uses cgo (%v), not allowed under %v", p.ImportPath, p.CgoFiles, r.patterns)
				}
			}
		})
	}
}
