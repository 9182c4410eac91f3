package chat

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// KeyFileName is the key file's name in the data directory.
const KeyFileName = "chat.keys"

// EnvKeys, when set, holds the key file's content and takes precedence
// over the file (for deployments that keep secrets in the environment).
const EnvKeys = "PARLEY_CHAT_KEYS"

// maxKeyFile bounds what LoadKeyring reads.
const maxKeyFile = 64 << 10

// Keyring holds every master key; the last one encrypts.
type Keyring struct {
	keys []Key
}

var keyID = regexp.MustCompile(`^[a-z0-9]{1,32}$`)

// ParseKeyring reads lines "<id> <base64 32-byte key>"; blank lines and
// lines starting with # are ignored. The last key is the current one.
func ParseKeyring(b []byte) (*Keyring, error) {
	if len(b) > maxKeyFile {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrKeyFile, maxKeyFile)
	}
	kr := &Keyring{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		id, enc, ok := strings.Cut(line, " ")
		if !ok || !keyID.MatchString(id) {
			return nil, fmt.Errorf("%w: line %d: want \"<id> <base64 key>\"", ErrKeyFile, n)
		}
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
		if err != nil || len(raw) != 32 {
			return nil, fmt.Errorf("%w: line %d: key is not 32 bytes of base64", ErrKeyFile, n)
		}
		if _, dup := kr.find(id); dup {
			return nil, fmt.Errorf("%w: line %d: duplicate id %s", ErrKeyFile, n, id)
		}
		var k Key
		k.id = id
		copy(k.k[:], raw)
		kr.keys = append(kr.keys, k)
	}
	if len(kr.keys) == 0 {
		return nil, fmt.Errorf("%w: no keys", ErrKeyFile)
	}
	return kr, nil
}

// Marshal is the key file's content.
func (kr *Keyring) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString("# Parley chat master keys: <id> <base64 key>. The last one encrypts.\n")
	b.WriteString("# Keep this file secret (0600) and back it up apart from the database.\n")
	for _, k := range kr.keys {
		fmt.Fprintf(&b, "%s %s\n", k.id, base64.StdEncoding.EncodeToString(k.k[:]))
	}
	return b.Bytes()
}

func (kr *Keyring) find(id string) (Key, bool) {
	for _, k := range kr.keys {
		if k.id == id {
			return k, true
		}
	}
	return Key{}, false
}

// Key returns the key named id, for opening what it sealed.
func (kr *Keyring) Key(id string) (Key, bool) { return kr.find(id) }

// Current is the key new messages are sealed with.
func (kr *Keyring) Current() Key { return kr.keys[len(kr.keys)-1] }

// IDs lists the key ids, oldest first.
func (kr *Keyring) IDs() []string {
	out := make([]string, len(kr.keys))
	for i, k := range kr.keys {
		out[i] = k.id
	}
	return out
}

// Rotate appends a fresh key, which becomes current.
func (kr *Keyring) Rotate() Key {
	k := NewKey()
	for {
		if _, dup := kr.find(k.id); !dup {
			break
		}
		k = NewKey()
	}
	kr.keys = append(kr.keys, k)
	return k
}

// without returns a keyring lacking the given ids (never the current key).
func (kr *Keyring) without(drop map[string]bool) *Keyring {
	out := &Keyring{}
	cur := kr.Current().id
	for _, k := range kr.keys {
		if !drop[k.id] || k.id == cur {
			out.keys = append(out.keys, k)
		}
	}
	return out
}

// LoadKeyring reads the keyring from EnvKeys or, if unset, from
// dir/KeyFileName, creating the file with one fresh key (mode 0600) when
// neither exists and create is set.
func LoadKeyring(dir string, create bool) (*Keyring, error) {
	if v := os.Getenv(EnvKeys); v != "" {
		return ParseKeyring([]byte(v))
	}
	path := filepath.Join(dir, KeyFileName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		kr := &Keyring{keys: []Key{NewKey()}}
		return kr, SaveKeyring(dir, kr)
	}
	if err != nil {
		return nil, fmt.Errorf("chat: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s is readable by others (mode %v); chmod 600 it", ErrKeyFile, path, fi.Mode().Perm())
	}
	return ParseKeyring(b)
}

// SaveKeyring writes the key file atomically with mode 0600.
func SaveKeyring(dir string, kr *Keyring) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	tmp, err := os.CreateTemp(dir, KeyFileName+".tmp*")
	if err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("chat: %w", err)
	}
	if _, err := tmp.Write(kr.Marshal()); err != nil {
		tmp.Close()
		return fmt.Errorf("chat: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("chat: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, KeyFileName)); err != nil {
		return fmt.Errorf("chat: %w", err)
	}
	return nil
}
