package tlsengine

import (
	"github.com/sessionscope/sscope/dissect/tls"
)

// The cipher suites this engine speaks (IANA values).
const (
	TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 uint16 = 0xc02f
	TLS_RSA_WITH_AES_128_CBC_SHA          uint16 = 0x002f
	TLS_DHE_RSA_WITH_AES_128_CBC_SHA      uint16 = 0x0033
	TLS_DH_anon_WITH_AES_128_CBC_SHA      uint16 = 0x0034
)

// suite is what the engine needs to know about a cipher suite: its key
// exchange (from dissect/tls's registry) and its record protection at
// TLS 1.2 (dissect/tls's CipherSpec).
type suite struct {
	id        uint16
	kx        tls.KeyExchange
	anonymous bool
	spec      tls.CipherSpec
}

// keyMaterialLen is how many key block bytes the suite's keys use.
func (s *suite) keyMaterialLen() int { return s.spec.KeyBlockLen() }

// certificateBased reports whether the server authenticates with a
// certificate.
func (s *suite) certificateBased() bool { return !s.anonymous }

// sendsServerKeyExchange reports whether the suite has a
// ServerKeyExchange.
func (s *suite) sendsServerKeyExchange() bool { return s.kx != tls.KeyExchangeRSA }

var supportedSuites = func() map[uint16]*suite {
	m := make(map[uint16]*suite)
	for _, id := range []uint16{TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_128_CBC_SHA,
		TLS_DHE_RSA_WITH_AES_128_CBC_SHA, TLS_DH_anon_WITH_AES_128_CBC_SHA} {
		info, ok := tls.CipherSuiteInfo(id)
		if !ok {
			panic("tlsengine: dissect/tls does not know suite " + tls.CipherSuiteName(id))
		}
		spec, err := tls.NewCipherSpec(id, versionTLS12)
		if err != nil {
			panic("tlsengine: " + err.Error())
		}
		m[id] = &suite{id: id, kx: info.KeyExchange, anonymous: info.Anonymous, spec: spec}
	}
	return m
}()

// suiteByID returns the engine's suite, or nil for one it does not speak.
func suiteByID(id uint16) *suite { return supportedSuites[id] }

// Supported reports whether the engine speaks cipher suite id.
func Supported(id uint16) bool { return suiteByID(id) != nil }
