package pgtest

import "testing"

// The server really runs, as someone other than root, and a database from
// DSN is empty and usable.
func TestServerRunsUnprivileged(t *testing.T) {
	db := Open(t, WithMigrations())
	var user string
	var superuser bool
	if err := db.SQL().QueryRow(`SELECT current_user, current_setting('is_superuser') = 'on'`).Scan(&user, &superuser); err != nil {
		t.Fatal(err)
	}
	if user != "postgres" || !superuser {
		t.Fatalf("connected as %q (superuser %v)", user, superuser)
	}
	pid := lazy.Get(t).proc.Pid()
	uid, err := processUID(pid)
	if err != nil {
		t.Skip(err)
	}
	if uid == 0 {
		t.Fatalf("postgres (pid %d) runs as root", pid)
	}
}

func TestMain(m *testing.M) { Main(m) }
