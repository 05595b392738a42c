package tls

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func onlySession(t *testing.T, file string, pick func(*session) bool) *session {
	t.Helper()
	a := analyzeCapture(t, filepath.Join(corpusDir(t), file))
	var found []*session
	for _, s := range a.Sessions {
		if pick == nil || pick(s) {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d matching sessions", file, len(found))
	}
	return found[0]
}

// Cisco AnyConnect's legacy DTLS (record version 0x0100): an abbreviated
// handshake resuming the session ID learned over the TLS channel, after a
// HelloVerifyRequest.
func TestCorpusAnyConnectLegacyDTLS(t *testing.T) {
	s := onlySession(t, "nDPI/pcap/dtls_old_version.pcapng", nil)
	if !s.DTLS || s.version() != VersionDTLS09 || s.ServerHello == nil {
		t.Fatalf("session %+v", s)
	}
	if !s.ServerHello.ResumesSession(s.ClientHello) || len(s.ClientHello.SessionID) != 32 || len(s.ClientHello.Cookie) == 0 {
		t.Errorf("not an abbreviated handshake: CH sid %x cookie %x, SH sid %x", s.ClientHello.SessionID, s.ClientHello.Cookie, s.ServerHello.SessionID)
	}
	for _, m := range s.Messages {
		if m.Type == HandshakeTypeCertificate || m.Type == HandshakeTypeClientKeyExchange {
			t.Errorf("abbreviated handshake carries %s", m.Type)
		}
	}
	var hvr int
	for _, m := range s.Messages {
		if m.Type == HandshakeTypeHelloVerifyRequest {
			hvr++
			var h HelloVerifyRequest
			if err := h.Unmarshal(m.Body); err != nil || h.Version != VersionDTLS09 || !bytes.Equal(h.Cookie, s.ClientHello.Cookie) {
				t.Errorf("HelloVerifyRequest %+v %v, ClientHello cookie %x", h, err, s.ClientHello.Cookie)
			}
		}
	}
	if hvr == 0 {
		t.Error("no HelloVerifyRequest")
	}
	// The AnyConnect capture: the same pattern on UDP 443 next to the TLS
	// tunnel, whose own resumption uses a ticket.
	a := analyzeCapture(t, filepath.Join(corpusDir(t), "nDPI/pcap/anyconnect-vpn.pcap"))
	var dtlsResumed, tlsTicket int
	for _, s := range a.Sessions {
		if s.DTLS && s.version() == VersionDTLS09 && sessionResumed(s) {
			dtlsResumed++
		}
		if !s.DTLS && s.ClientHello != nil && len(s.ClientHello.SessionTicket) > 0 && sessionResumed(s) {
			tlsTicket++
		}
	}
	if dtlsResumed == 0 || tlsTicket == 0 {
		t.Errorf("anyconnect-vpn: %d resumed DTLS 0.9 sessions, %d ticket resumptions", dtlsResumed, tlsTicket)
	}
}

// DTLS 1.3 with connection IDs: the hellos negotiate the IDs, and the
// ciphertext records carry them in the unified header; with the
// negotiated length every datagram parses into whole records.
func TestCorpusDTLS13ConnectionID(t *testing.T) {
	dir := corpusDir(t)
	pkts := openCapture(t, filepath.Join(dir, "zeek/Traces/tls/dtls13-cid.pcap"))
	a := analyzeCapture(t, filepath.Join(dir, "zeek/Traces/tls/dtls13-cid.pcap"))
	cidLen := map[string]int{} // receiver endpoint -> length of the CID it asked for
	for _, s := range a.Sessions {
		if s.ClientHello != nil {
			if e, ok := FindExtension(s.ClientHello.Extensions, ExtConnectionID); ok {
				cid, ok := readUint8Prefixed(e.Data)
				if !ok {
					t.Fatalf("client connection_id %x", e.Data)
				}
				cidLen[s.Client] = len(cid)
			}
		}
		if s.ServerHello != nil {
			if s.ServerHello.NegotiatedVersion() != VersionDTLS13 {
				t.Errorf("%s: version %v", s.Client, s.ServerHello.NegotiatedVersion())
			}
			if e, ok := FindExtension(s.ServerHello.Extensions, ExtConnectionID); ok {
				cid, _ := readUint8Prefixed(e.Data)
				cidLen[s.Server] = len(cid)
			}
		}
	}
	if len(cidLen) == 0 {
		t.Fatal("no connection_id extension found")
	}
	unified := 0
	for _, p := range pkts {
		if p.UDP == nil || len(p.Payload) == 0 || !ContentType(p.Payload[0]).IsDTLS13Ciphertext() || p.Payload[0]&unifiedCIDBit == 0 {
			continue
		}
		n, ok := cidLen[endpoint(p.Dst, uint16(p.UDP.DstPort))]
		if !ok {
			t.Errorf("frame %d: CID record to an endpoint that asked for no CID", p.Frame)
			continue
		}
		if _, _, err := ParseRecord(p.Payload, true); dissect.KindOf(err) != dissect.Unsupported {
			t.Errorf("frame %d: without the CID length: %v", p.Frame, err)
		}
		for b := p.Payload; len(b) > 0; {
			rec, k, err := ParseDTLSRecordCID(b, n)
			if err != nil {
				t.Errorf("frame %d: %v", p.Frame, err)
				break
			}
			if !bytes.Equal(rec.Marshal(true), b[:k]) {
				t.Errorf("frame %d: Marshal differs", p.Frame)
			}
			b = b[k:]
			unified++
		}
	}
	if unified == 0 {
		t.Error("no unified-header record with a connection ID")
	}
}

// TLS 1.3 HelloRetryRequest (zeek/Traces/tls/hrr.pcap): the server asks
// for another key share, the client's second ClientHello offers exactly
// that group.
func TestCorpusHelloRetryRequest(t *testing.T) {
	s := onlySession(t, "zeek/Traces/tls/hrr.pcap", nil)
	var hellos []*ClientHello
	var hrr *ServerHello
	for _, m := range s.Messages {
		switch m.Type {
		case HandshakeTypeClientHello:
			ch := &ClientHello{}
			if err := ch.Unmarshal(m.Body, false); err != nil {
				t.Fatal(err)
			}
			hellos = append(hellos, ch)
		case HandshakeTypeServerHello:
			sh := &ServerHello{}
			if err := sh.Unmarshal(m.Body); err != nil {
				t.Fatal(err)
			}
			if sh.HelloRetryRequest {
				hrr = sh
			}
		}
	}
	if hrr == nil || len(hellos) != 2 {
		t.Fatalf("HelloRetryRequest %v, %d ClientHellos", hrr, len(hellos))
	}
	if hrr.KeyShareGroup == 0 || hrr.KeyShareData != nil || hrr.NegotiatedVersion() != VersionTLS13 {
		t.Errorf("HelloRetryRequest %+v", hrr)
	}
	second := hellos[1]
	if len(second.KeyShares) != 1 || second.KeyShares[0].Group != hrr.KeyShareGroup {
		t.Errorf("second ClientHello key shares %+v, server asked for %s", second.KeyShares, NamedGroupName(hrr.KeyShareGroup))
	}
	if s.ServerHello.HelloRetryRequest || s.ServerHello.KeyShareGroup != hrr.KeyShareGroup {
		t.Errorf("final ServerHello %+v", s.ServerHello)
	}
}

// Client certificates requested and sent (EAP-TLS style), and requested
// but refused.
func TestCorpusClientCertificates(t *testing.T) {
	s := onlySession(t, "suricata-verify/tls/tls-store-02/tls-client-auth.pcap", nil)
	if !s.CertRequest || len(s.ClientCerts) == 0 {
		t.Errorf("client-auth: request %v, %d client certificates", s.CertRequest, len(s.ClientCerts))
	}
	if sum := SummarizeCertificate(s.ClientCerts[0]); sum.SerialHex != "00C7D4288B80E01E27" {
		t.Errorf("client certificate serial %s", sum.SerialHex)
	}
	s = onlySession(t, "zeek/Traces/tls/certificate-request-failed.pcap", nil)
	if !s.CertRequest {
		t.Fatal("no CertificateRequest")
	}
	for _, m := range s.Messages {
		if m.Type == HandshakeTypeCertificateRequest {
			var cr CertificateRequest
			if err := cr.Unmarshal(m.Body, s.version()); err != nil || len(cr.CertificateTypes) == 0 {
				t.Errorf("CertificateRequest %+v %v", cr, err)
			}
		}
	}
}
