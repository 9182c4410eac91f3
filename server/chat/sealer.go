package chat

import (
	"context"
	"encoding/binary"
	"fmt"
	"sync"
)

// Seal encrypts pt for another kind of record kept at rest with the chat
// master keys (call transcripts, for example): Key.Seal (package sealing)
// under the current key, as chat. domain names the kind of record and aad
// binds the ciphertext to its row (ids, owner, time), so a body moved to
// another row or another kind fails to open. Store keyID beside the body
// and register the table with RegisterSealedTable, so that rotate-key
// -prune keeps the keys its rows use.
func (s *Service) Seal(domain string, aad, pt []byte) (keyID string, body []byte) {
	k := s.keyring().Current()
	return k.id, k.Seal(domainAAD(domain, k.id, aad), pt)
}

// Open is Seal's inverse; a wrong key, row or domain is ErrDecrypt.
func (s *Service) Open(domain, keyID string, aad, body []byte) ([]byte, error) {
	k, err := s.key(keyID)
	if err != nil {
		return nil, err
	}
	pt, err := k.Open(domainAAD(domain, keyID, aad), body)
	if err != nil {
		return nil, fmt.Errorf("%w: %s record", ErrDecrypt, domain)
	}
	return pt, nil
}

// domainAAD prefixes aad with version byte 2 (chat messages use 1), the
// domain and the key id, length-prefixed.
func domainAAD(domain, keyID string, aad []byte) []byte {
	b := []byte{2}
	for _, s := range []string{domain, keyID} {
		b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	return append(b, aad...)
}

var sealed = struct {
	sync.Mutex
	tables []string
}{tables: []string{"chat_messages"}}

// RegisterSealedTable names a table with a key_id column whose rows Seal
// made; Prune keeps every key such a row uses. Call it from an init
// function with a constant name.
func RegisterSealedTable(table string) {
	sealed.Lock()
	defer sealed.Unlock()
	sealed.tables = append(sealed.tables, table)
}

// keyInUse reports whether a row of a sealed table uses key id.
func (s *Service) keyInUse(ctx context.Context, id string) (bool, error) {
	sealed.Lock()
	tables := append([]string(nil), sealed.tables...)
	sealed.Unlock()
	for _, t := range tables {
		var used bool
		err := s.db.QueryRowContext(ctx, s.q(`SELECT EXISTS (SELECT 1 FROM `+t+` WHERE key_id = ?)`), id).Scan(&used)
		if err != nil || used {
			return used, err
		}
	}
	return false, nil
}
