package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageVariablesReadNoTheme: package ui's variables are set before
// the app exists, so one that calls the theme package (an icon, a
// padding) gets Fyne's fallback and logs "Attempt to access current Fyne
// app when none is started" — 20 such lines at every start of the app
// before. (A test binary cannot show it by running: Fyne's test package
// sets an app at its own initialisation.) Icons in tables are theme icon
// names, looked up where a widget is made.
func TestPackageVariablesReadNoTheme(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			ast.Inspect(g, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false // runs later, not at initialisation
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
						// theme.NewThemedResource and its kin only wrap a
						// resource; every other call reads the current theme.
						if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "theme" && !strings.HasPrefix(sel.Sel.Name, "New") {
							t.Errorf("%s: a package variable calls theme.%s at initialisation", fset.Position(n.Pos()), sel.Sel.Name)
						}
					}
				}
				return true
			})
		}
	}
}
