package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// radiusFromCapture returns the UDP payloads on port 1812 of a lab capture.
func radiusFromCapture(t testing.TB, path string) [][]byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open capture: %v", err)
	}
	defer f.Close()
	r, err := pcapgo.NewNgReader(f, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatalf("read capture: %v", err)
	}
	var out [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("read packet: %v", err)
		}
		p := gopacket.NewPacket(data, layers.LinkTypeEthernet, gopacket.Default)
		udp, ok := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if !ok || (udp.SrcPort != 1812 && udp.DstPort != 1812) {
			continue
		}
		out = append(out, append([]byte(nil), udp.Payload...))
	}
	return out
}

// TestParsePacketAgreesWithGopacket checks the relay's routing fields against
// gopacket's independent RADIUS decoder on every RADIUS packet of the P3 lab
// capture (two EAP conversations, Access-Request/Challenge/Accept).
func TestParsePacketAgreesWithGopacket(t *testing.T) {
	pkts := radiusFromCapture(t, "../captures/P3.pcapng")
	if len(pkts) < 20 {
		t.Fatalf("only %d RADIUS packets in P3.pcapng", len(pkts))
	}
	var withState, withoutState int
	for i, b := range pkts {
		info, ok := parsePacket(b)
		if !ok {
			t.Fatalf("packet %d: parsePacket rejected a real RADIUS packet", i)
		}
		var ref layers.RADIUS
		if err := ref.DecodeFromBytes(b, gopacket.NilDecodeFeedback); err != nil {
			t.Fatalf("packet %d: gopacket: %v", i, err)
		}
		if info.Code != uint8(ref.Code) || info.Identifier != uint8(ref.Identifier) {
			t.Errorf("packet %d: code/id %d/%d, gopacket %d/%d", i, info.Code, info.Identifier, ref.Code, ref.Identifier)
		}
		var refState []byte
		for _, a := range ref.Attributes {
			if a.Type == layers.RADIUSAttributeTypeState {
				refState = a.Value
				break
			}
		}
		if !bytes.Equal(info.State, refState) {
			t.Errorf("packet %d: State %x, gopacket %x", i, info.State, refState)
		}
		if info.State != nil {
			withState++
		} else {
			withoutState++
		}
	}
	// Each conversation starts with an Access-Request without State and ends
	// with an Access-Accept without State; the rounds between carry State.
	if withState == 0 || withoutState != 4 {
		t.Errorf("packets with State %d, without %d; want >0 and 4", withState, withoutState)
	}
}

// TestParsePacketRejectsMalformed uses hand-made packets around the length
// rules of RFC 2865 section 3.
func TestParsePacketRejectsMalformed(t *testing.T) {
	header := func(length int) []byte {
		b := make([]byte, 20)
		b[0], b[1] = codeAccessRequest, 7
		b[2], b[3] = byte(length>>8), byte(length)
		return b
	}
	state := []byte{attrState, 6, 0xde, 0xad, 0xbe, 0xef}
	good := append(header(26), state...)
	if info, ok := parsePacket(good); !ok || !bytes.Equal(info.State, state[2:]) || info.Identifier != 7 {
		t.Fatalf("good packet: %+v %v", info, ok)
	}
	padded := append(append([]byte(nil), good...), 0, 0, 0)
	if _, ok := parsePacket(padded); !ok {
		t.Errorf("octets past the declared length must be ignored")
	}
	cases := map[string][]byte{
		"short header":            good[:3],
		"length below header":     header(19),
		"length past datagram":    append(header(40), state...),
		"attribute length 1":      append(header(22), attrState, 1),
		"attribute past length":   append(header(24), attrState, 6, 0, 0),
		"attribute length 0":      append(header(22), attrState, 0),
		"truncated authenticator": header(20)[:18],
	}
	for name, b := range cases {
		if _, ok := parsePacket(b); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzParsePacket: no input may panic, and an accepted packet's State lies
// within the declared length.
func FuzzParsePacket(f *testing.F) {
	for _, b := range radiusFromCapture(f, "../captures/P3.pcapng") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info, ok := parsePacket(b)
		if !ok {
			return
		}
		length := int(b[2])<<8 | int(b[3])
		if info.State != nil && len(info.State) > length-radiusHeaderLen-2 {
			t.Fatalf("State of %d bytes in a %d-byte packet", len(info.State), length)
		}
	})
}
