package tls

import (
	"bytes"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// TestCorpusMessagesRoundTrip parses every handshake message read from the
// corpus with its type's Unmarshal and checks that Marshal gives back the
// same bytes; for the hellos it also rebuilds the message from the typed
// fields alone and checks that parsing it again gives the same fields.
func TestCorpusMessagesRoundTrip(t *testing.T) {
	dir := corpusDir(t)
	counts := map[string]int{}
	for _, row := range readManifest(t, dir) {
		if !row.has("tls") && !row.has("dtls") {
			continue
		}
		a := analyzeCapture(t, filepath.Join(dir, row.File))
		for _, s := range a.Sessions {
			for i, m := range s.Messages {
				name, err := roundTripMessage(s, m)
				if err != nil {
					if row.crafted() {
						continue
					}
					if dissect.KindOf(err) == dissect.Unsupported {
						// EC J-PAKE (Thread commissioning) key exchanges.
						t.Logf("%s: %v", row.File, err)
						continue
					}
					t.Errorf("%s %s->%s message %d %s: %v", row.File, s.Client, s.Server, i, m.Type, err)
					continue
				}
				counts[name]++
			}
		}
	}
	var names []string
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-22s %d round trips", n, counts[n])
	}
	for _, want := range []string{"ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest",
		"ServerHelloDone", "ClientKeyExchange", "NewSessionTicket", "HelloVerifyRequest", "CertificateVerify"} {
		if counts[want] == 0 {
			t.Errorf("no %s found in the corpus to round-trip", want)
		}
	}
}

// roundTripMessage checks Unmarshal→Marshal on one message in the context
// of its session.
func roundTripMessage(s *session, m sessionMsg) (string, error) {
	version := s.version()
	var suite uint16
	if s.ServerHello != nil {
		suite = s.ServerHello.CipherSuite
	}
	body := m.Body
	same := func(got []byte) error {
		if !bytes.Equal(got, body) {
			return fmt.Errorf("Marshal differs:\n got %x\nwant %x", got, body)
		}
		return nil
	}
	switch m.Type {
	case HandshakeTypeClientHello:
		var ch ClientHello
		if err := ch.Unmarshal(body, s.DTLS); err != nil {
			return "", err
		}
		if err := same(ch.Marshal(s.DTLS)); err != nil {
			return "", err
		}
		return "ClientHello", clientHelloFieldsRoundTrip(&ch, s.DTLS)
	case HandshakeTypeServerHello:
		var sh ServerHello
		if err := sh.Unmarshal(body); err != nil {
			return "", err
		}
		if err := same(sh.Marshal()); err != nil {
			return "", err
		}
		return "ServerHello", serverHelloFieldsRoundTrip(&sh)
	case HandshakeTypeHelloVerifyRequest:
		var hv HelloVerifyRequest
		if err := hv.Unmarshal(body); err != nil {
			return "", err
		}
		return "HelloVerifyRequest", same(hv.Marshal())
	case HandshakeTypeCertificate:
		var c Certificate
		if err := c.Unmarshal(body, version.IsTLS13()); err != nil {
			return "", err
		}
		return "Certificate", same(c.Marshal())
	case HandshakeTypeCertificateRequest:
		var cr CertificateRequest
		if err := cr.Unmarshal(body, version); err != nil {
			return "", err
		}
		return "CertificateRequest", same(cr.Marshal(version))
	case HandshakeTypeServerKeyExchange:
		info, ok := CipherSuiteInfo(suite)
		if !ok {
			return "", fmt.Errorf("unknown suite 0x%04x", suite)
		}
		var ske ServerKeyExchange
		if err := ske.Unmarshal(body); err != nil {
			return "", err
		}
		p, err := ske.Params(info.KeyExchange, version)
		if err != nil {
			return "", err
		}
		return "ServerKeyExchange", same(p.Marshal())
	case HandshakeTypeServerHelloDone:
		return "ServerHelloDone", ServerHelloDone{}.Unmarshal(body)
	case HandshakeTypeClientKeyExchange:
		info, ok := CipherSuiteInfo(suite)
		if !ok {
			return "", fmt.Errorf("unknown suite 0x%04x", suite)
		}
		var cke ClientKeyExchange
		if err := cke.Unmarshal(body); err != nil {
			return "", err
		}
		p, err := cke.Params(info.KeyExchange, version)
		if err != nil {
			return "", err
		}
		return "ClientKeyExchange", same(p.Marshal(version))
	case HandshakeTypeCertificateVerify:
		var cv CertificateVerify
		if err := cv.Unmarshal(body, version); err != nil {
			return "", err
		}
		return "CertificateVerify", same(cv.Marshal())
	case HandshakeTypeNewSessionTicket:
		var nst NewSessionTicket
		if err := nst.Unmarshal(body, false); err != nil {
			return "", err
		}
		return "NewSessionTicket", same(nst.Marshal())
	case HandshakeTypeCertificateStatus:
		var cs CertificateStatus
		if err := cs.Unmarshal(body); err != nil {
			return "", err
		}
		return "CertificateStatus", same(cs.Marshal())
	case HandshakeTypeHelloRequest:
		return "HelloRequest", HelloRequest{}.Unmarshal(body)
	}
	return m.Type.String() + " (not checked)", nil
}

// clientHelloView is the part of a ClientHello that its extensions do not
// carry byte for byte: the typed fields.
type clientHelloView struct {
	Version                                         Version
	Random                                          [32]byte
	SessionID, Cookie, SessionTicket, Renegotiation string
	CipherSuites, Groups, SigAlgs                   []uint16
	Versions                                        []Version
	Compression, PSKModes                           string
	ServerName                                      string
	ALPN                                            []string
	Ticket, EMS, SecReneg, EarlyData, ETM           bool
	KeyShares                                       []string
	PSKIDs                                          []string
	Binders                                         []string
}

func viewClientHello(m *ClientHello) clientHelloView {
	v := clientHelloView{
		Version: m.Version, Random: m.Random, SessionID: string(m.SessionID), Cookie: string(m.Cookie),
		SessionTicket: string(m.SessionTicket), Renegotiation: string(m.SecureRenegotiation),
		CipherSuites: append([]uint16{}, m.CipherSuites...), Groups: append([]uint16{}, m.SupportedGroups...),
		SigAlgs: append([]uint16{}, m.SignatureAlgorithms...), Versions: append([]Version{}, m.SupportedVersions...),
		Compression: string(m.CompressionMethods), PSKModes: string(m.PSKModes), ServerName: m.ServerName,
		ALPN: append([]string{}, m.ALPNProtocols...), Ticket: m.TicketSupported, EMS: m.ExtendedMasterSecret,
		SecReneg: m.SecureRenegotiationSupported, EarlyData: m.EarlyData, ETM: m.EncryptThenMAC,
	}
	for _, ks := range m.KeyShares {
		v.KeyShares = append(v.KeyShares, fmt.Sprintf("%04x:%x", ks.Group, ks.Data))
	}
	for _, id := range m.PSKIdentities {
		v.PSKIDs = append(v.PSKIDs, fmt.Sprintf("%x/%d", id.Identity, id.ObfuscatedTicketAge))
	}
	for _, b := range m.PSKBinders {
		v.Binders = append(v.Binders, fmt.Sprintf("%x", b))
	}
	return v
}

// clientHelloFieldsRoundTrip rebuilds m from its typed fields only (no
// Extensions) and checks the typed fields survive Marshal and Unmarshal.
func clientHelloFieldsRoundTrip(m *ClientHello, dtls bool) error {
	fields := *m
	fields.Extensions = nil
	var back ClientHello
	if err := back.Unmarshal(fields.Marshal(dtls), dtls); err != nil {
		return fmt.Errorf("from fields: %v", err)
	}
	if a, b := viewClientHello(m), viewClientHello(&back); !reflect.DeepEqual(a, b) {
		return fmt.Errorf("from fields:\n got %+v\nwant %+v", b, a)
	}
	return nil
}

func serverHelloFieldsRoundTrip(m *ServerHello) error {
	fields := *m
	fields.Extensions = nil
	var back ServerHello
	if err := back.Unmarshal(fields.Marshal()); err != nil {
		return fmt.Errorf("from fields: %v", err)
	}
	back.Raw, back.Extensions = nil, nil
	want := *m
	want.Raw, want.Extensions = nil, nil
	normalize := func(h *ServerHello) {
		if len(h.SecureRenegotiation) == 0 {
			h.SecureRenegotiation = nil
		}
		if len(h.KeyShareData) == 0 {
			h.KeyShareData = nil
		}
		if len(h.SessionID) == 0 {
			h.SessionID = nil
		}
	}
	normalize(&back)
	normalize(&want)
	if !reflect.DeepEqual(back, want) {
		return fmt.Errorf("from fields:\n got %+v\nwant %+v", back, want)
	}
	return nil
}
