package eap

import (
	"encoding/hex"
	"strconv"
	"strings"
	"testing"
)

// TestFreeRADIUSMethodsAgainstTshark decodes the non-tunnelled methods of
// the FreeRADIUS/eapol_test captures field by field, compares with tshark,
// and rebuilds every packet and its method data with Marshal.
func TestFreeRADIUSMethodsAgainstTshark(t *testing.T) {
	fields := []string{"eap.identity", "eap.desired_type", "eap.md5.value", "eap.data",
		"eap.ms_chap_v2.opcode", "eap.ms_chap_v2.id", "eap.ms_chap_v2.length", "eap.ms_chap_v2.challenge",
		"eap.ms_chap_v2.name", "eap.ms_chap_v2.peer_challenge", "eap.ms_chap_v2.nt_response",
		"eap.ms_chap_v2.flags", "eap.ms_chap_v2.message", "eap.ms_chap_v2.failure_request"}
	for _, file := range []string{"eap-mschapv2.pcap", "eap-md5.pcap", "eap-gtc.pcap", "eap-pwd.pcap"} {
		t.Run(file, func(t *testing.T) {
			path, events := captureEvents(t, file)
			or := tshark(t, path, captureDecodeAs, fields...)
			check := func(ev eapEvent, field, got string) {
				t.Helper()
				if want := or[ev.frame][field]; got != want {
					t.Errorf("frame %d %s: %q, tshark %q", ev.frame, field, got, want)
				}
			}
			for _, ev := range events {
				p := ev.pkt
				if got := p.Marshal(); string(got) != string(p.Raw) {
					t.Errorf("frame %d: Marshal %x, captured %x", ev.frame, got, p.Raw)
				}
				var rebuilt []byte
				switch {
				case p.Code != CodeRequest && p.Code != CodeResponse:
					continue
				case p.Type == TypeIdentity:
					check(ev, "eap.identity", ParseIdentity(p.Data))
					rebuilt = MarshalIdentity(ParseIdentity(p.Data))
				case p.Type == TypeNak:
					n, err := ParseNak(p)
					if err != nil {
						t.Fatal(err)
					}
					var s []string
					for _, x := range n.Types {
						s = append(s, strconv.Itoa(int(x)))
					}
					check(ev, "eap.desired_type", strings.Join(s, ","))
					rebuilt = n.Marshal()
				case p.Type == TypeMD5:
					m, err := ParseMD5(p.Data)
					if err != nil {
						t.Fatal(err)
					}
					check(ev, "eap.md5.value", hex.EncodeToString(m.Value))
					rebuilt = m.Marshal()
				case p.Type == TypeGTC:
					g := ParseGTC(p.Data)
					check(ev, "eap.data", hex.EncodeToString([]byte(g.Text)))
					want := map[Code]string{CodeRequest: "Password: ", CodeResponse: "hello"}[p.Code]
					if g.Text != want {
						t.Errorf("frame %d: GTC %q, want %q", ev.frame, g.Text, want)
					}
					rebuilt = g.Marshal()
				case p.Type == TypePWD:
					w, err := ParsePWD(p.Data)
					if err != nil {
						t.Fatal(err)
					}
					check(ev, "eap.data", hex.EncodeToString(p.Data))
					rebuilt = w.Marshal()
				case p.Type == TypeMSCHAPv2:
					m, err := ParseMSCHAPv2(p)
					if err != nil {
						t.Fatalf("frame %d: %v", ev.frame, err)
					}
					check(ev, "eap.ms_chap_v2.opcode", strconv.Itoa(int(m.OpCode)))
					if !m.OpCodeOnly {
						check(ev, "eap.ms_chap_v2.id", strconv.Itoa(int(m.MSCHAPv2ID)))
						check(ev, "eap.ms_chap_v2.length", strconv.Itoa(int(m.MSLength)))
					}
					check(ev, "eap.ms_chap_v2.challenge", hex.EncodeToString(m.Challenge))
					check(ev, "eap.ms_chap_v2.name", m.Name)
					check(ev, "eap.ms_chap_v2.peer_challenge", hex.EncodeToString(m.PeerChallenge))
					check(ev, "eap.ms_chap_v2.nt_response", hex.EncodeToString(m.NTResponse))
					if m.OpCode == MSCHAPv2OpResponse {
						check(ev, "eap.ms_chap_v2.flags", "0x0"+strconv.Itoa(int(m.Flags)))
					}
					if m.OpCode == MSCHAPv2OpSuccess && !m.OpCodeOnly {
						check(ev, "eap.ms_chap_v2.message", m.Message)
						if len(m.AuthResponse) != 42 || m.AuthResponse != m.Message[:42] {
							t.Errorf("frame %d: AuthResponse %q", ev.frame, m.AuthResponse)
						}
					}
					if m.OpCode == MSCHAPv2OpFailure && !m.OpCodeOnly {
						check(ev, "eap.ms_chap_v2.failure_request", m.Message)
						f := m.Failure
						if f == nil || f.Error != 691 || !f.Retry || f.Version != 3 || len(f.Challenge) != 16 ||
							f.Message != "Authentication rejected" || f.ErrorName() != "authentication failure" {
							t.Errorf("frame %d: failure %+v", ev.frame, f)
						} else if strings.ToUpper(f.String()) != strings.ToUpper(m.Message) {
							t.Errorf("frame %d: failure renders %q, sent %q", ev.frame, f.String(), m.Message)
						}
					}
					rebuilt = m.Marshal()
				case p.Type == TypePEAP:
					// The PEAP Start FreeRADIUS offers before the peer's Nak.
					f, err := ParseTLSFragment(p)
					if err != nil || !f.IsStart() || f.Data != nil {
						t.Errorf("frame %d: PEAP %+v %v", ev.frame, f, err)
					}
					rebuilt = f.Marshal()
				default:
					t.Fatalf("frame %d: unexpected %s", ev.frame, p.Type)
				}
				if string(rebuilt) != string(p.Data) {
					t.Errorf("frame %d: %s data rebuilt %x, captured %x", ev.frame, p.Type, rebuilt, p.Data)
				}
			}
		})
	}
}

// TestFreeRADIUSPWDExchange checks the EAP-pwd exchange by hand: ID, Commit
// and Confirm each way, group 19 (P-256) as configured, the token echoed.
func TestFreeRADIUSPWDExchange(t *testing.T) {
	_, events := captureEvents(t, "eap-pwd.pcap")
	var seq []string
	var ids []PWD
	for _, ev := range events {
		if ev.pkt.Type != TypePWD {
			continue
		}
		w, err := ParsePWD(ev.pkt.Data)
		if err != nil {
			t.Fatal(err)
		}
		seq = append(seq, ev.pkt.Code.String()+" "+w.ExchName())
		if w.Exch == PWDExchID {
			ids = append(ids, w)
			if got := w.MarshalPWDID(); string(got) != string(w.Payload) {
				t.Errorf("EAP-pwd-ID rebuilt %x, captured %x", got, w.Payload)
			}
		}
	}
	want := "Request EAP-pwd-ID,Response EAP-pwd-ID,Request EAP-pwd-Commit,Response EAP-pwd-Commit,Request EAP-pwd-Confirm,Response EAP-pwd-Confirm"
	if strings.Join(seq, ",") != want {
		t.Errorf("exchange %v", seq)
	}
	if len(ids) != 2 || ids[0].GroupDesc != 19 || ids[1].GroupDesc != 19 || ids[0].Token != ids[1].Token ||
		ids[0].Identity != "radius.example.org" || ids[1].Identity != "bob" {
		t.Errorf("EAP-pwd-ID %+v", ids)
	}
}
