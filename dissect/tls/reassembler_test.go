package tls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func drain(h *HandshakeReassembler) []HandshakeMsg {
	var out []HandshakeMsg
	for {
		m, ok := h.Next()
		if !ok {
			return out
		}
		out = append(out, m)
	}
}

// testFlight is a server flight built with this package's marshallers:
// ServerHello, a 3000-byte Certificate, ServerHelloDone.
func testFlight(t testing.TB) (stream []byte, bodies [][]byte) {
	sh := (&ServerHello{Version: VersionTLS12, CipherSuite: 0xc02f, SessionID: bytes.Repeat([]byte{7}, 32)}).Marshal()
	cert := (&Certificate{Certificates: [][]byte{bytes.Repeat([]byte{0x30}, 3000)}}).Marshal()
	for _, m := range []struct {
		t HandshakeType
		b []byte
	}{{HandshakeTypeServerHello, sh}, {HandshakeTypeCertificate, cert}, {HandshakeTypeServerHelloDone, nil}} {
		stream = append(stream, MarshalHandshake(m.t, m.b)...)
		bodies = append(bodies, append([]byte{}, m.b...))
	}
	return stream, bodies
}

func checkFlight(t *testing.T, got []HandshakeMsg, bodies [][]byte, what string) {
	t.Helper()
	want := []HandshakeType{HandshakeTypeServerHello, HandshakeTypeCertificate, HandshakeTypeServerHelloDone}
	if len(got) != len(want) {
		t.Fatalf("%s: %d messages, want %d", what, len(got), len(want))
	}
	for i, m := range got {
		if m.Type != want[i] || !bytes.Equal(m.Body, bodies[i]) || int(m.Length) != len(bodies[i]) || len(m.Raw) != 4+len(bodies[i]) {
			t.Errorf("%s: message %d is %s/%d", what, i, m.Type, m.Length)
		}
	}
}

// The TLS stream cut at every position into two records, and cut into
// random record sizes, gives the same messages.
func TestReassemblerTLSSplits(t *testing.T) {
	stream, bodies := testFlight(t)
	for cut := 0; cut <= len(stream); cut++ {
		var h HandshakeReassembler
		if err := h.Write(stream[:cut]); err != nil {
			t.Fatal(err)
		}
		first := drain(&h)
		if err := h.Write(stream[cut:]); err != nil {
			t.Fatal(err)
		}
		checkFlight(t, append(first, drain(&h)...), bodies, fmt.Sprintf("cut %d", cut))
		if h.Pending() != 0 {
			t.Errorf("cut %d: %d bytes pending", cut, h.Pending())
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		var h HandshakeReassembler
		var got []HandshakeMsg
		for rest := stream; len(rest) > 0; {
			n := min(1+r.IntN(300), len(rest))
			chunk := append([]byte{}, rest[:n]...) // fresh memory, as records are
			if err := h.Write(chunk); err != nil {
				t.Fatal(err)
			}
			got = append(got, drain(&h)...)
			rest = rest[n:]
		}
		checkFlight(t, got, bodies, fmt.Sprintf("trial %d", trial))
	}
}

// Messages stay valid after later Writes.
func TestReassemblerMessagesStayValid(t *testing.T) {
	stream, bodies := testFlight(t)
	var h HandshakeReassembler
	var got []HandshakeMsg
	buf := make([]byte, 100)
	for rest := stream; len(rest) > 0; {
		n := copy(buf, rest)
		h.Write(buf[:n])
		got = append(got, drain(&h)...)
		for i := range buf { // the caller reuses its buffer
			buf[i] = 0xee
		}
		rest = rest[n:]
	}
	// The ServerHello came whole in one Write: it aliases the caller's
	// buffer, which was overwritten. Messages assembled across Writes are
	// the reassembler's own and intact.
	if !bytes.Equal(got[1].Body, bodies[1]) {
		t.Error("Certificate assembled across Writes was modified")
	}
}

func TestReassemblerCap(t *testing.T) {
	stream, bodies := testFlight(t)
	h := HandshakeReassembler{Max: 1000}
	err := h.Write(stream)
	if dissect.KindOf(err) != dissect.CapExceeded {
		t.Fatalf("err %v", err)
	}
	got := drain(&h)
	if len(got) != 2 || got[0].Type != HandshakeTypeServerHello || got[1].Type != HandshakeTypeServerHelloDone {
		t.Fatalf("after the dropped Certificate: %v", got)
	}
	// Same with the over-cap message arriving in small pieces.
	h = HandshakeReassembler{Max: 1000}
	var errs int
	got = nil
	for i := 0; i < len(stream); i += 7 {
		if err := h.Write(stream[i:min(i+7, len(stream))]); err != nil {
			errs++
		}
		got = append(got, drain(&h)...)
	}
	if errs != 1 || len(got) != 2 || !bytes.Equal(got[1].Body, bodies[2]) || h.Pending() != 0 {
		t.Errorf("piecewise: %d errors, %d messages, %d pending", errs, len(got), h.Pending())
	}
}

// dtlsFlight fragments a DTLS flight: message_seq from 1, fragments of at
// most size bytes.
func dtlsFlight(bodies [][]byte, types []HandshakeType, size int) [][]byte {
	var frags [][]byte
	for i, b := range bodies {
		for off := 0; off < len(b) || off == 0; off += size {
			end := min(off+size, len(b))
			frags = append(frags, MarshalDTLSHandshakeFragment(types[i], uint16(i+1), uint32(len(b)), uint32(off), b[off:end]))
			if end == len(b) {
				break
			}
		}
	}
	return frags
}

func TestReassemblerDTLS(t *testing.T) {
	_, bodies := testFlight(t)
	types := []HandshakeType{HandshakeTypeServerHello, HandshakeTypeCertificate, HandshakeTypeServerHelloDone}
	frags := dtlsFlight(bodies, types, 500)
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 100; trial++ {
		// Shuffle, duplicate some fragments, and pack several per record.
		order := r.Perm(len(frags))
		var records [][]byte
		dups := 0
		var rec []byte
		for _, i := range order {
			rec = append(rec, frags[i]...)
			if r.IntN(4) == 0 {
				rec = append(rec, frags[i]...)
				dups++
			}
			if r.IntN(2) == 0 {
				records = append(records, rec)
				rec = nil
			}
		}
		if rec != nil {
			records = append(records, rec)
		}
		// Retransmit the whole flight, unfragmented.
		for i, b := range bodies {
			records = append(records, MarshalDTLSHandshake(types[i], uint16(i+1), b))
		}
		h := HandshakeReassembler{DTLS: true}
		var got []HandshakeMsg
		for _, rec := range records {
			if err := h.Write(rec); err != nil {
				t.Fatal(err)
			}
			got = append(got, drain(&h)...)
		}
		checkFlightDTLS(t, got, bodies, types, fmt.Sprintf("trial %d", trial))
		if h.Duplicates() < dups+3 {
			t.Errorf("trial %d: %d duplicates counted, at least %d sent", trial, h.Duplicates(), dups+3)
		}
		if h.Pending() != 0 {
			t.Errorf("trial %d: %d bytes pending", trial, h.Pending())
		}
	}
}

func checkFlightDTLS(t *testing.T, got []HandshakeMsg, bodies [][]byte, types []HandshakeType, what string) {
	t.Helper()
	if len(got) != len(bodies) {
		t.Fatalf("%s: %d messages", what, len(got))
	}
	for i, m := range got {
		want := MarshalDTLSHandshake(types[i], uint16(i+1), bodies[i])
		if m.Type != types[i] || m.MessageSeq != uint16(i+1) || !bytes.Equal(m.Body, bodies[i]) || !bytes.Equal(m.Raw, want) || m.FragmentOffset != 0 || m.FragmentLength != m.Length {
			t.Errorf("%s: message %d: %s seq %d raw %x", what, i, m.Type, m.MessageSeq, m.Raw[:12])
		}
	}
}

func TestReassemblerDTLSOverlapAndErrors(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789"), 10)
	frag := func(off, end int) []byte {
		return MarshalDTLSHandshakeFragment(HandshakeTypeCertificate, 0, 100, uint32(off), body[off:end])
	}
	h := HandshakeReassembler{DTLS: true}
	for _, f := range [][]byte{frag(0, 30), frag(20, 50), frag(20, 40), frag(60, 100), frag(45, 65)} {
		if err := h.Write(f); err != nil {
			t.Fatal(err)
		}
	}
	got := drain(&h)
	if len(got) != 1 || !bytes.Equal(got[0].Body, body) || h.Duplicates() != 1 {
		t.Fatalf("overlapping fragments: %d messages, %d duplicates", len(got), h.Duplicates())
	}
	// A fragment that contradicts the message's length.
	h.Reset()
	h.Write(MarshalDTLSHandshakeFragment(HandshakeTypeCertificate, 0, 100, 0, body[:10]))
	if err := h.Write(MarshalDTLSHandshakeFragment(HandshakeTypeCertificate, 0, 90, 10, body[10:20])); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("length change: %v", err)
	}
	// A fragment beyond its message.
	bad := MarshalDTLSHandshakeFragment(HandshakeTypeCertificate, 1, 10, 5, body[:10])
	if err := h.Write(bad); dissect.KindOf(err) != dissect.Malformed {
		t.Errorf("fragment beyond message: %v", err)
	}
	// Over the cap: fragments are counted and dropped, later messages flow.
	h = HandshakeReassembler{DTLS: true, Max: 50}
	if err := h.Write(frag(0, 40)); dissect.KindOf(err) != dissect.CapExceeded {
		t.Errorf("cap: %v", err)
	}
	h.Write(frag(40, 100))
	h.Write(MarshalDTLSHandshake(HandshakeTypeServerHelloDone, 1, nil))
	if got := drain(&h); len(got) != 1 || got[0].Type != HandshakeTypeServerHelloDone {
		t.Errorf("after over-cap message: %v", got)
	}
	// Too far ahead.
	h.Reset()
	h.Write(MarshalDTLSHandshake(HandshakeTypeClientHello, 0, []byte{1}))
	if err := h.Write(MarshalDTLSHandshake(HandshakeTypeClientHello, 100, []byte{1})); dissect.KindOf(err) != dissect.CapExceeded {
		t.Errorf("far ahead: %v", err)
	}
}

// A capture that starts after the flight's first message: the later
// messages wait for it, and Flush hands them out.
func TestReassemblerDTLSFlush(t *testing.T) {
	h := HandshakeReassembler{DTLS: true}
	h.Write(MarshalDTLSHandshake(HandshakeTypeServerHelloDone, 3, nil))
	h.Write(MarshalDTLSHandshakeFragment(HandshakeTypeCertificate, 2, 4, 0, []byte{0, 0, 1, 0xaa}))
	if got := drain(&h); len(got) != 0 {
		t.Fatalf("delivered %d messages without their predecessor", len(got))
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	got := drain(&h)
	if len(got) != 2 || got[0].Type != HandshakeTypeCertificate || got[1].Type != HandshakeTypeServerHelloDone {
		t.Fatalf("after Flush: %v", got)
	}
	// The lost message, arriving late, is a retransmission now.
	h.Write(MarshalDTLSHandshake(HandshakeTypeServerHello, 1, []byte{1}))
	if got := drain(&h); len(got) != 0 || h.Duplicates() != 1 {
		t.Errorf("late message: %d delivered, %d duplicates", len(got), h.Duplicates())
	}
	// A hello opens a flight and is delivered at once.
	h.Reset()
	h.Write(MarshalDTLSHandshake(HandshakeTypeClientHello, 1, []byte{1}))
	if got := drain(&h); len(got) != 1 {
		t.Errorf("ClientHello with message_seq 1 held back")
	}
}

// Whole messages in whole records do not allocate once the queue has
// grown.
func TestReassemblerAllocs(t *testing.T) {
	rec := MarshalHandshake(HandshakeTypeServerHelloDone, nil)
	rec = append(rec, MarshalHandshake(HandshakeTypeFinished, make([]byte, 12))...)
	drec := MarshalDTLSHandshake(HandshakeTypeServerHelloDone, 0, nil)
	var h HandshakeReassembler
	d := HandshakeReassembler{DTLS: true}
	allocs := testing.AllocsPerRun(1000, func() {
		h.Write(rec)
		for {
			if _, ok := h.Next(); !ok {
				break
			}
		}
		d.Reset()
		d.Write(drec)
		if _, ok := d.Next(); !ok {
			t.Fatal("no DTLS message")
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run", allocs)
	}
}

func BenchmarkHandshakeReassembler(b *testing.B) {
	stream, _ := testFlight(b)
	var records [][]byte
	for i := 0; i < len(stream); i += 1000 {
		records = append(records, stream[i:min(i+1000, len(stream))])
	}
	b.SetBytes(int64(len(stream)))
	b.ReportAllocs()
	var h HandshakeReassembler
	for b.Loop() {
		h.Reset()
		for _, r := range records {
			if err := h.Write(r); err != nil {
				b.Fatal(err)
			}
			for {
				if _, ok := h.Next(); !ok {
					break
				}
			}
		}
	}
}

func BenchmarkHandshakeReassemblerDTLS(b *testing.B) {
	_, bodies := testFlight(b)
	frags := dtlsFlight(bodies, []HandshakeType{HandshakeTypeServerHello, HandshakeTypeCertificate, HandshakeTypeServerHelloDone}, 1000)
	b.ReportAllocs()
	h := HandshakeReassembler{DTLS: true}
	for b.Loop() {
		h.Reset()
		for _, f := range frags {
			if err := h.Write(f); err != nil {
				b.Fatal(err)
			}
			for {
				if _, ok := h.Next(); !ok {
					break
				}
			}
		}
	}
}
