package eapfast

import (
	"github.com/sessionscope/sscope/dissect/eap"
	fast "github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/tls"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// Cipher suites of the two ends. A PAC-based tunnel uses a certificate
// suite without its certificates or key exchange.
var (
	certificateSuites = []uint16{
		tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
		tlsengine.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
		tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA,
	}
	anonymousSuites = []uint16{tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA}
	allSuites       = append(append([]uint16(nil), certificateSuites...), anonymousSuites...)
)

// Version is the EAP-FAST version both ends speak.
const Version = 1

// isk turns an inner method's MSK into ISK[j]: 32 octets; for
// EAP-MSCHAPv2 the two master keys in the order RFC 4851 implementations
// use (eapauth's MSK has the server's receive key first, see
// fast.MSCHAPv2ISK); none (zeros) when the method gave no key.
func isk(t eap.Type, msk []byte) []byte {
	if t == eap.TypeMSCHAPv2 && len(msk) >= 32 {
		return fast.MSCHAPv2ISK(msk[16:32], msk[:16])
	}
	out := make([]byte, fast.ISKLen)
	copy(out, msk)
	return out
}

// sessionKeys reads the key material after the tunnel's key_block:
// session_key_seed, and for an anonymous tunnel the MSCHAPv2 challenges
// (RFC 5422 section 3.3). The key_block is PRF(master_secret, "key
// expansion", server_random + client_random) of the last handshake.
func sessionKeys(c *tlsengine.Conn) (seed []byte, prov *fast.ProvisioningKeys) {
	cur := c.Current()
	if cur == nil {
		return nil, nil
	}
	n := fast.SessionKeySeedLen
	if cur.Anonymous {
		n = fast.ProvisioningKeyBlockLen
	}
	cr, sr := c.Randoms()
	extra, ok := fast.TunnelKeyMaterial(cur.MasterSecret, cur.CipherSuite, tls.VersionTLS12, cr, sr, n)
	if !ok {
		return nil, nil
	}
	if !cur.Anonymous {
		return extra, nil
	}
	k, err := fast.ParseProvisioningKeys(extra)
	if err != nil {
		return nil, nil
	}
	return k.SessionKeySeed, &k
}

// payload concatenates marshalled TLVs.
type payload []byte

func (p *payload) add(v fast.Value) { *p = append(*p, v.Marshal()...) }

// eapPayload wraps an inner EAP packet.
func eapPayload(pkt []byte) *fast.EAPPayload { return &fast.EAPPayload{Packet: pkt} }

// found collects the TLVs of one phase-2 message by type.
type found struct {
	identity *fast.IdentityType
	payload  *fast.EAPPayload
	inter    *fast.IntermediateResult
	result   *fast.Result
	binding  *fast.CryptoBinding
	bindRaw  []byte
	pacs     []*fast.PAC
	request  bool // a Request-Action TLV came
	nak      *fast.NAK
	err      *fast.Error
}

// collect parses a phase-2 payload; an unknown mandatory TLV or a
// malformed one is an error.
func collect(data []byte) (found, error) {
	var f found
	tlvs, vals, err := fast.ParseValues(data)
	if err != nil {
		return f, err
	}
	for i, v := range vals {
		switch x := v.(type) {
		case *fast.IdentityType:
			f.identity = x
		case *fast.EAPPayload:
			f.payload = x
		case *fast.IntermediateResult:
			f.inter = x
		case *fast.Result:
			f.result = x
		case *fast.CryptoBinding:
			f.binding, f.bindRaw = x, tlvs[i].Raw
		case *fast.PAC:
			f.pacs = append(f.pacs, x)
		case *fast.RequestAction:
			f.request = true
		case *fast.NAK:
			f.nak = x
		case *fast.Error:
			f.err = x
		}
	}
	return f, nil
}
