package eap

import (
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The captures in testdata were made by testdata/make-captures.sh: FreeRADIUS
// 3.2 and eapol_test (wpa_supplicant 2.10) on loopback, RADIUS on UDP 18812.
const (
	captureRADIUSPort = 18812
	captureDecodeAs   = "udp.port==18812,radius"
)

// eapEvent is one EAP packet of a capture, with where it came from.
type eapEvent struct {
	frame      int
	fromPeer   bool   // Access-Request: peer → server
	clientPort uint16 // the NAS side's UDP port: one conversation each
	pkt        *Packet
}

func captureEvents(t *testing.T, name string) (string, []eapEvent) {
	t.Helper()
	path := filepath.Join("testdata", name)
	var out []eapEvent
	for _, f := range readFrames(t, path) {
		src, dst, payload, ok := udpPayload(f)
		if !ok || (src != captureRADIUSPort && dst != captureRADIUSPort) {
			continue
		}
		_, raw, ok := radiusEAP(payload)
		if !ok {
			t.Fatalf("%s frame %d: RADIUS without EAP-Message", name, f.num)
		}
		p, err := Parse(raw)
		if err != nil {
			t.Fatalf("%s frame %d: %v", name, f.num, err)
		}
		ev := eapEvent{frame: f.num, fromPeer: dst == captureRADIUSPort, pkt: p}
		ev.clientPort = src
		if !ev.fromPeer {
			ev.clientPort = dst
		}
		out = append(out, ev)
	}
	if len(out) == 0 {
		t.Fatalf("%s: no EAP", name)
	}
	return path, out
}

// tlsRecordCheck walks joined TLS data as TLS records: content type 20–23,
// version 3.x, lengths adding up exactly. It returns the handshake message
// types readable in clear (those before a ChangeCipherSpec).
func tlsRecordCheck(data []byte) ([]int, error) {
	var hs []byte
	clear := true
	for off := 0; off < len(data); {
		if len(data)-off < 5 {
			return nil, fmt.Errorf("%d stray bytes at %d", len(data)-off, off)
		}
		ct, major := data[off], data[off+1]
		n := int(data[off+3])<<8 | int(data[off+4])
		if ct < 20 || ct > 23 || major != 3 {
			return nil, fmt.Errorf("record at %d: type %d version %d.%d", off, ct, major, data[off+2])
		}
		if off+5+n > len(data) {
			return nil, fmt.Errorf("record at %d: length %d runs past %d", off, n, len(data))
		}
		switch {
		case ct == 20:
			clear = false
		case ct == 22 && clear:
			hs = append(hs, data[off+5:off+5+n]...)
		}
		off += 5 + n
	}
	var types []int
	for len(hs) >= 4 {
		n := int(hs[1])<<16 | int(hs[2])<<8 | int(hs[3])
		if 4+n > len(hs) {
			return nil, fmt.Errorf("handshake message type %d of %d bytes cut at %d", hs[0], n, len(hs)-4)
		}
		types = append(types, int(hs[0]))
		hs = hs[4+n:]
	}
	return types, nil
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ",")
}

// TestFreeRADIUSTLSConversations reassembles every TLS-based conversation
// FreeRADIUS and eapol_test had, checks the TLS record framing of every
// joined message, and compares the handshake messages found per frame with
// tshark's own EAP-TLS reassembly.
func TestFreeRADIUSTLSConversations(t *testing.T) {
	for _, tc := range []struct {
		file    string
		method  Type
		version uint8
	}{
		{"peap-mschapv2.pcap", TypePEAP, 0},
		{"eap-tls.pcap", TypeTLS, 0},
		{"eap-ttls-pap.pcap", TypeTTLS, 0},
		{"eap-fast.pcap", TypeFAST, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path, events := captureEvents(t, tc.file)
			type dirKey struct {
				port     uint16
				fromPeer bool
			}
			rs := map[dirKey]*Reassembler{}
			ours := map[int]string{}
			firstServer := map[uint16]bool{}
			var messages, fragmented, starts, acks int
			for _, ev := range events {
				p := ev.pkt
				if p.Type != tc.method {
					// FreeRADIUS first offers PEAP; other peers Nak it.
					continue
				}
				f, err := ParseTLSFragment(p)
				if err != nil {
					t.Fatalf("frame %d: %v", ev.frame, err)
				}
				if f.Version != tc.version {
					t.Errorf("frame %d: version %d, want %d", ev.frame, f.Version, tc.version)
				}
				if got := f.Marshal(); string(got) != string(p.Data) {
					t.Errorf("frame %d: Marshal %x…, captured %x…", ev.frame, got[:min(len(got), 16)], p.Data[:min(len(p.Data), 16)])
				}
				if f.IsStart() {
					starts++
					if ev.fromPeer {
						t.Errorf("frame %d: Start from the peer", ev.frame)
					}
				}
				if f.IsAck() {
					acks++
				}
				k := dirKey{ev.clientPort, ev.fromPeer}
				if rs[k] == nil {
					rs[k] = &Reassembler{}
				}
				r := rs[k]
				wasPending := r.InProgress()
				data, complete, err := r.Add(p.Identifier, f)
				if err != nil {
					t.Errorf("frame %d: %v", ev.frame, err)
				}
				if !complete {
					continue
				}
				messages++
				if wasPending {
					fragmented++
				}
				types, err := tlsRecordCheck(data)
				if err != nil {
					t.Errorf("frame %d: joined %d bytes: %v", ev.frame, len(data), err)
				}
				if !ev.fromPeer && !firstServer[ev.clientPort] {
					firstServer[ev.clientPort] = true
					if len(data) < 6 || data[0] != 22 || data[5] != 2 {
						t.Errorf("frame %d: first server message does not start with a ServerHello: % x", ev.frame, data[:min(len(data), 6)])
					}
				}
				if len(types) > 0 {
					ours[ev.frame] = joinInts(types)
				}
			}
			for k, r := range rs {
				if r.InProgress() || r.Pending() != 0 {
					t.Errorf("%v: conversation ended with %d bytes pending", k, r.Pending())
				}
				if r.Retransmissions() != 0 {
					t.Errorf("%v: %d retransmissions in a loopback capture", k, r.Retransmissions())
				}
			}
			if starts != 1 || fragmented == 0 || acks == 0 {
				t.Errorf("starts %d, fragmented messages %d, ACKs %d: want 1, >0, >0", starts, fragmented, acks)
			}
			t.Logf("%d TLS messages (%d fragmented), %d ACKs; handshake types per frame: %v", messages, fragmented, acks, ours)

			or := tshark(t, path, captureDecodeAs, "tls.handshake.type")
			for n, row := range or {
				if want := row["tls.handshake.type"]; want != ours[n] {
					t.Errorf("frame %d: handshake types %q, tshark %q", n, ours[n], want)
				}
			}
		})
	}
}

// TestFreeRADIUSEAPFASTStart: the EAP-FAST Start carries the Authority-ID TLV;
// tshark reads the same A-ID.
func TestFreeRADIUSEAPFASTStart(t *testing.T) {
	path, events := captureEvents(t, "eap-fast.pcap")
	var start *eapEvent
	for i, ev := range events {
		if ev.pkt.Type == TypeFAST && !ev.fromPeer {
			start = &events[i]
			break
		}
	}
	if start == nil {
		t.Fatal("no EAP-FAST request")
	}
	f, err := ParseTLSFragment(start.pkt)
	if err != nil || !f.IsStart() || f.Version != 1 || len(f.AuthorityID) != 16 {
		t.Fatalf("Start %+v: %v", f, err)
	}
	or := tshark(t, path, captureDecodeAs, "eap.fast.authority_id_data")
	if got, want := hex.EncodeToString(f.AuthorityID), or[start.frame]["eap.fast.authority_id_data"]; got != want {
		t.Errorf("A-ID %s, tshark %s", got, want)
	}
}
