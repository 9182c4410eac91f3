package app

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/parley-voip/parley/crypto/identity"
)

// IdentityKeyFile is the device's identity key inside the app's data
// folder: a PKCS #8 PEM file readable by its owner only (0600).
const IdentityKeyFile = "identity.key"

// LoadOrCreateIdentity reads this device's long-term identity key from dir,
// or on first start makes one and saves it there (0600; the folder 0700).
// A file that exists but cannot be read is an error, never silently
// replaced: a new key would make every verified contact see a key change.
// A file others may read is tightened to 0600.
func LoadOrCreateIdentity(dir string) (key *identity.PrivateKey, created bool, err error) {
	path := filepath.Join(dir, IdentityKeyFile)
	f, err := os.Open(path)
	switch {
	case err == nil:
		defer f.Close()
		b, err := io.ReadAll(io.LimitReader(f, identity.MaxPrivateKeySize+1))
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", ErrIdentityKey, err)
		}
		k, err := identity.ParsePrivateKey(b)
		if err != nil {
			return nil, false, fmt.Errorf("%w: %s: %w", ErrIdentityKey, path, err)
		}
		if st, err := f.Stat(); err == nil && st.Mode().Perm()&0o077 != 0 {
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, false, fmt.Errorf("%w: %s is readable by others and could not be restricted: %w", ErrIdentityKey, path, err)
			}
		}
		return k, false, nil
	case !errors.Is(err, fs.ErrNotExist):
		return nil, false, fmt.Errorf("%w: %w", ErrIdentityKey, err)
	}
	k, err := identity.Generate(nil)
	if err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrIdentityKey, err)
	}
	if err := writePrivate(path, k.Marshal()); err != nil {
		return nil, false, fmt.Errorf("%w: %w", ErrIdentityKey, err)
	}
	return k, true, nil
}

// writePrivate replaces path with b atomically, readable by its owner only.
func writePrivate(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
