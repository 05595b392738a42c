package keys

import (
	"bytes"
	"crypto/rsa"
	"fmt"
	"io"
	"os"
	"sync"

	"github.com/sessionscope/sscope/dissect/tls"
)

// MaxSessions caps the client randoms a Store keeps secrets for.
const MaxSessions = 1 << 20

// Store holds the key material of every source the user gave, merged. The
// first secret given for a client random and label wins; a different one
// later is reported as a problem. A Store is safe for concurrent use.
type Store struct {
	mu       sync.RWMutex
	byRandom map[[32]byte]*Secrets
	// rsaPreMaster holds the premaster secrets of RSA lines, by the first
	// 8 bytes of their encrypted form.
	rsaPreMaster map[[8]byte][]byte
	rsaKeys      []*rsa.PrivateKey
	max          int
}

// NewStore returns an empty Store.
func NewStore() *Store {
	return &Store{byRandom: make(map[[32]byte]*Secrets), rsaPreMaster: make(map[[8]byte][]byte), max: MaxSessions}
}

// Len is the number of client randoms with secrets.
func (s *Store) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byRandom)
}

// Secrets returns a copy of the secrets logged for a client random.
func (s *Store) Secrets(clientRandom [32]byte) (Secrets, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e, ok := s.byRandom[clientRandom]
	if !ok {
		return Secrets{}, false
	}
	return e.clone(), true
}

// ReadKeyLog reads an NSS key log from r; source names it in problems
// ("sslkeys.log", "capture.pcapng DSB 1"). The error is an I/O error of r;
// bad lines are in the Load.
func (s *Store) ReadKeyLog(r io.Reader, source string) (Load, error) {
	l := Load{Source: source}
	err := readKeyLog(r, &l, func(e entry, line int) bool { return s.add(e, line, &l) })
	return l, err
}

// AddKeyLog reads an NSS key log held in memory, such as the content of a
// pcapng Decryption Secrets Block of type TLS key log.
func (s *Store) AddKeyLog(data []byte, source string) Load {
	l, _ := s.ReadKeyLog(bytes.NewReader(data), source)
	return l
}

// LoadKeyLogFile reads an NSS key log file.
func (s *Store) LoadKeyLogFile(path string) (Load, error) {
	f, err := os.Open(path)
	if err != nil {
		return Load{Source: path}, err
	}
	defer f.Close()
	return s.ReadKeyLog(f, path)
}

func (s *Store) add(e entry, line int, l *Load) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e.label {
	case LabelECHSecret, LabelECHConfig, LabelEarlyExporterSecret:
		l.Ignored++
		return true
	case LabelRSA:
		var k [8]byte
		copy(k[:], e.key)
		if old, ok := s.rsaPreMaster[k]; ok {
			s.same(old, e, line, l)
			return true
		}
		if len(s.rsaPreMaster) >= s.max {
			l.problem(line, "more than %d RSA premaster secrets; the rest is not read", s.max)
			return false
		}
		s.rsaPreMaster[k] = e.secret
		l.Added++
		return true
	}
	var cr [32]byte
	copy(cr[:], e.key)
	sec, ok := s.byRandom[cr]
	if !ok {
		if len(s.byRandom) >= s.max {
			l.problem(line, "more than %d sessions; the rest is not read", s.max)
			return false
		}
		sec = &Secrets{}
		s.byRandom[cr] = sec
	}
	slot := sec.field(e.label)
	if *slot != nil {
		s.same(*slot, e, line, l)
		return true
	}
	*slot = e.secret
	l.Added++
	return true
}

// same counts a repeated secret, or reports a conflicting one.
func (s *Store) same(old []byte, e entry, line int, l *Load) {
	if bytes.Equal(old, e.secret) {
		l.Duplicates++
		return
	}
	l.problem(line, "%s for %x differs from the one read before; the first is kept", e.label, e.key)
}

// AddRSAKey adds the private key of a server that uses RSA key exchange.
func (s *Store) AddRSAKey(k *rsa.PrivateKey) error {
	if k == nil || k.N == nil || k.D == nil {
		return fmt.Errorf("incomplete RSA private key")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, old := range s.rsaKeys {
		if old.N.Cmp(k.N) == 0 {
			return nil
		}
	}
	if len(s.rsaKeys) >= MaxRSAKeys {
		return fmt.Errorf("more than %d RSA keys", MaxRSAKeys)
	}
	s.rsaKeys = append(s.rsaKeys, k)
	return nil
}

// RSAKeys is the number of RSA private keys held.
func (s *Store) RSAKeys() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.rsaKeys)
}

// PreMasterFromRSA returns the premaster secret of an RSA
// ClientKeyExchange from its encrypted form: from an RSA key log line, or
// by decryption with a private key of the modulus size whose result has
// the 48 bytes of a premaster secret.
func (s *Store) PreMasterFromRSA(encrypted []byte) ([]byte, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if len(encrypted) >= 8 {
		var k [8]byte
		copy(k[:], encrypted)
		if pms, ok := s.rsaPreMaster[k]; ok {
			return append([]byte(nil), pms...), true
		}
	}
	for _, key := range s.rsaKeys {
		if key.Size() != len(encrypted) {
			continue
		}
		if pms, ok := tls.RSADecryptPreMaster(key, encrypted); ok && len(pms) == tls.PreMasterSecretLen {
			return pms, true
		}
	}
	return nil, false
}
