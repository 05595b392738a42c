package eapauth

import (
	"bytes"
	"testing"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/dissect/tls"
)

// wireView is what an observer of the RADIUS leg sees, decoded with the
// dissect packages only: the analyzer's own decoders read back every byte
// the reference implementation wrote.
type wireView struct {
	codes []string
	// eapTypes are the method names of the EAP packets, in order.
	eapTypes []string
	// messages lists the plaintext handshake messages per direction
	// (index 0: peer to server, 1: server to peer).
	messages [2][]string
	// clientHelloIDs and serverHelloIDs are the session IDs of the
	// plaintext hellos, in order.
	clientHelloIDs, serverHelloIDs [][]byte
	// appRecords counts application data records per direction.
	appRecords [2]int
	// alerts are the plaintext alerts, per direction.
	alerts [2][]tls.Alert
	// eapPackets are the EAP packets carried, in order.
	eapPackets [][]byte
}

// inspect decodes every datagram of r, checking the RADIUS authenticators
// and that the fragments of each TLS message join and parse.
func inspect(t *testing.T, r *run) *wireView {
	t.Helper()
	v := &wireView{}
	var reasm [2]eap.Reassembler
	var hs [2]tls.HandshakeReassembler
	var encrypted [2]bool
	var lastReq *radius.Packet
	for i, d := range r.wire {
		p, err := radius.Parse(d.pkt)
		if err != nil {
			t.Fatalf("datagram %d: %v", i, err)
		}
		v.codes = append(v.codes, p.Code.String())
		if d.fromNAS {
			lastReq = p
			if ok, err := radius.VerifyMessageAuthenticator(p.Raw, bedSecret, nil); !ok || err != nil {
				t.Errorf("datagram %d: request Message-Authenticator (%v)", i, err)
			}
		} else if lastReq != nil {
			if !radius.VerifyResponseAuthenticator(p.Raw, lastReq.Authenticator, bedSecret) {
				t.Errorf("datagram %d: Response Authenticator", i)
			}
		}
		msg, ok := p.EAPMessage()
		if !ok {
			t.Fatalf("datagram %d carries no EAP", i)
		}
		v.eapPackets = append(v.eapPackets, bytes.Clone(msg))
		e, err := eap.Parse(msg)
		if err != nil {
			t.Fatalf("datagram %d: EAP: %v", i, err)
		}
		v.eapTypes = append(v.eapTypes, e.MethodName())
		if !eap.IsTLSBased(e.Type) || (e.Code != eap.CodeRequest && e.Code != eap.CodeResponse) {
			continue
		}
		dir := 1
		if d.fromNAS {
			dir = 0
		}
		f, err := eap.ParseTLSFragment(e)
		if err != nil {
			t.Fatalf("datagram %d: TLS fragment: %v", i, err)
		}
		data, complete, err := reasm[dir].Add(e.Identifier, f)
		if err != nil {
			t.Fatalf("datagram %d: reassembly: %v", i, err)
		}
		if !complete {
			continue
		}
		for len(data) > 0 {
			rec, n, err := tls.ParseRecord(data, false)
			if err != nil {
				t.Fatalf("datagram %d: TLS record: %v", i, err)
			}
			data = data[n:]
			switch {
			case rec.Type == tls.ContentChangeCipherSpec:
				encrypted[dir] = true
				v.messages[dir] = append(v.messages[dir], "ChangeCipherSpec")
			case rec.Type == tls.ContentApplicationData:
				v.appRecords[dir]++
			case rec.Type == tls.ContentAlert && !encrypted[dir]:
				a, _ := tls.ParseAlert(rec.Fragment)
				v.alerts[dir] = append(v.alerts[dir], a)
			case rec.Type == tls.ContentHandshake && !encrypted[dir]:
				if err := hs[dir].Write(rec.Fragment); err != nil {
					t.Fatalf("datagram %d: handshake: %v", i, err)
				}
				for {
					m, ok := hs[dir].Next()
					if !ok {
						break
					}
					v.messages[dir] = append(v.messages[dir], m.Type.String())
					switch m.Type {
					case tls.HandshakeTypeClientHello:
						var ch tls.ClientHello
						if err := ch.Unmarshal(m.Body, false); err != nil {
							t.Fatalf("ClientHello: %v", err)
						}
						v.clientHelloIDs = append(v.clientHelloIDs, bytes.Clone(ch.SessionID))
					case tls.HandshakeTypeServerHello:
						var sh tls.ServerHello
						if err := sh.Unmarshal(m.Body); err != nil {
							t.Fatalf("ServerHello: %v", err)
						}
						v.serverHelloIDs = append(v.serverHelloIDs, bytes.Clone(sh.SessionID))
					}
				}
			case rec.Type == tls.ContentHandshake:
				v.messages[dir] = append(v.messages[dir], "EncryptedHandshake")
			}
		}
	}
	// The NAS relayed the same EAP packets on both legs.
	if len(r.eapol) != len(v.eapPackets)+1 {
		t.Errorf("%d EAP packets on the EAPOL leg, %d on the RADIUS leg (+1 identity request expected)", len(r.eapol), len(v.eapPackets))
	} else {
		for i, p := range v.eapPackets {
			if !bytes.Equal(r.eapol[i+1].pkt, p) {
				t.Errorf("EAP packet %d differs between the NAS's two legs", i)
			}
		}
	}
	return v
}
