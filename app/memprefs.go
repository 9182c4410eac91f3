package app

import "sync"

// MemoryPreferences keeps preferences in memory: for headless clients and
// tests, where nothing should outlive the process.
type MemoryPreferences struct {
	mu      sync.Mutex
	bools   map[string]bool
	strings map[string]string
}

// NewMemoryPreferences returns an empty store.
func NewMemoryPreferences() *MemoryPreferences {
	return &MemoryPreferences{bools: map[string]bool{}, strings: map[string]string{}}
}

func (m *MemoryPreferences) Bool(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.bools[key]
}

func (m *MemoryPreferences) SetBool(key string, value bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.bools[key] = value
}

func (m *MemoryPreferences) String(key string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.strings[key]
}

func (m *MemoryPreferences) SetString(key string, value string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.strings[key] = value
}
