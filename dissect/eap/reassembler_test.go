package eap

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect"
)

// recordingConn keeps every Write.
type recordingConn struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (c *recordingConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, append([]byte(nil), b...))
	c.mu.Unlock()
	return c.Conn.Write(b)
}

// cryptoTLSFlights runs a TLS 1.2 handshake with Go's crypto/tls and returns
// the ClientHello flight and the server's first flight (ServerHello …
// ServerHelloDone) exactly as written on the wire.
func cryptoTLSFlights(t testing.TB) (clientHello, serverFlight []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "radius.example.org"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(4e9, 0), DNSNames: []string{"radius.example.org"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert := tls.Certificate{Certificate: [][]byte{der, der, der}, PrivateKey: key} // a chain long enough to fragment
	a, b := net.Pipe()
	cc, sc := &recordingConn{Conn: a}, &recordingConn{Conn: b}
	srv := tls.Server(sc, &tls.Config{Certificates: []tls.Certificate{cert}, MaxVersion: tls.VersionTLS12})
	cli := tls.Client(cc, &tls.Config{InsecureSkipVerify: true, MaxVersion: tls.VersionTLS12})
	done := make(chan error, 1)
	go func() { done <- srv.Handshake() }()
	if err := cli.Handshake(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	a.Close()
	b.Close()
	return cc.writes[0], sc.writes[0]
}

// feed marshals fragments into EAP packets with identifiers from id on,
// decodes them back and adds them, returning every completed message.
func feed(t *testing.T, r *Reassembler, id uint8, frags []TLSFragment) (out [][]byte, errs []error) {
	t.Helper()
	for _, f := range frags {
		raw := f.Packet(CodeRequest, id).Marshal()
		id++
		p, err := Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		g, err := ParseTLSFragment(p)
		if err != nil {
			t.Fatal(err)
		}
		data, complete, err := r.Add(p.Identifier, g)
		if err != nil {
			errs = append(errs, err)
		}
		if complete {
			out = append(out, data)
		} else if data != nil {
			t.Errorf("data without completion")
		}
	}
	return out, errs
}

// TestReassembleCryptoTLSFlight fragments real TLS flights from Go's
// crypto/tls at many sizes and with each length policy, and joins them back.
func TestReassembleCryptoTLSFlight(t *testing.T) {
	ch, flight := cryptoTLSFlights(t)
	if types, err := tlsRecordCheck(flight); err != nil || joinInts(types) != "2,11,12,14" {
		t.Fatalf("server flight: types %v, %v", types, err)
	}
	for _, msg := range [][]byte{ch, flight} {
		for _, method := range []Type{TypeTLS, TypePEAP, TypeTTLS, TypeFAST, TypeTEAP} {
			for _, policy := range []LengthPolicy{LengthOnFirst, LengthWhenFragmented, LengthOnEvery} {
				for _, size := range []int{0, 1, 7, 100, 1000, 1014, len(msg) - 1, len(msg), len(msg) + 1} {
					frags := FragmentTLS(method, 1, msg, size, policy)
					var r Reassembler
					out, errs := feed(t, &r, 200, frags) // identifiers wrap past 255
					if len(errs) > 0 || len(out) != 1 || !bytes.Equal(out[0], msg) {
						t.Fatalf("%s policy %d size %d: %d fragments, %d messages, errors %v", method, policy, size, len(frags), len(out), errs)
					}
					if r.Pending() != 0 || r.InProgress() {
						t.Errorf("left pending %d", r.Pending())
					}
				}
			}
		}
	}
}

func TestFragmentTLSFlags(t *testing.T) {
	msg := bytes.Repeat([]byte{0x16}, 2500)
	frags := FragmentTLS(TypePEAP, 0, msg, 1000, LengthOnFirst)
	if len(frags) != 3 {
		t.Fatalf("%d fragments", len(frags))
	}
	// FreeRADIUS's PEAP server flight in peap-mschapv2.pcap: 0xc0/0xc1 style.
	want := []TLSFlags{FlagLength | FlagMore, FlagMore, 0}
	for i, f := range frags {
		if f.Flags != want[i] || f.HasLength != (i == 0) || len(f.Data) != []int{1000, 1000, 500}[i] {
			t.Errorf("fragment %d: flags %s len %d", i, f.Flags, len(f.Data))
		}
	}
	// Hand-checked wire form of the first fragment: flags, length 2500 = 0x09c4.
	if got := frags[0].Marshal()[:5]; !bytes.Equal(got, []byte{0xc0, 0x00, 0x00, 0x09, 0xc4}) {
		t.Errorf("first fragment header % x", got)
	}
	if f := FragmentTLS(TypeTTLS, 0, msg[:10], 1000, LengthWhenFragmented); len(f) != 1 || f[0].HasLength || f[0].Flags != 0 {
		t.Errorf("unfragmented with LengthWhenFragmented: %+v", f)
	}
}

func TestReassemblerEdgeCases(t *testing.T) {
	_, flight := cryptoTLSFlights(t)
	kind := func(errs []error) dissect.Kind {
		if len(errs) != 1 {
			return 0
		}
		return dissect.KindOf(errs[0])
	}

	t.Run("missing L on a fragmented message", func(t *testing.T) {
		var r Reassembler
		out, errs := feed(t, &r, 1, FragmentTLS(TypeTLS, 0, flight, 500, LengthNever))
		if len(out) != 1 || !bytes.Equal(out[0], flight) || kind(errs) != dissect.Malformed {
			t.Errorf("out %d, errs %v", len(out), errs)
		}
	})
	t.Run("missing L on an unfragmented message is fine", func(t *testing.T) {
		var r Reassembler
		out, errs := feed(t, &r, 1, FragmentTLS(TypeTLS, 0, flight, 0, LengthNever))
		if len(out) != 1 || len(errs) != 0 {
			t.Errorf("out %d, errs %v", len(out), errs)
		}
	})
	t.Run("L only on a later fragment", func(t *testing.T) {
		frags := FragmentTLS(TypeTLS, 0, flight, 500, LengthNever)
		frags[1].HasLength, frags[1].MessageLength = true, uint32(len(flight))
		var r Reassembler
		out, errs := feed(t, &r, 1, frags)
		if len(out) != 1 || !bytes.Equal(out[0], flight) || kind(errs) != dissect.Malformed {
			t.Errorf("out %d, errs %v", len(out), errs)
		}
	})
	t.Run("wrong TLS Message Length", func(t *testing.T) {
		frags := FragmentTLS(TypePEAP, 0, flight, 500, LengthOnFirst)
		frags[0].MessageLength += 100
		var r Reassembler
		out, errs := feed(t, &r, 1, frags)
		if len(out) != 1 || !bytes.Equal(out[0], flight) || kind(errs) != dissect.Malformed {
			t.Errorf("out %d, errs %v", len(out), errs)
		}
	})
	t.Run("lengths that disagree across fragments", func(t *testing.T) {
		frags := FragmentTLS(TypePEAP, 0, flight, 500, LengthOnEvery)
		frags[1].MessageLength--
		var r Reassembler
		out, errs := feed(t, &r, 1, frags)
		if len(out) != 1 || kind(errs) != dissect.Malformed {
			t.Errorf("out %d, errs %v", len(out), errs)
		}
	})
	t.Run("ACKs carry nothing", func(t *testing.T) {
		ack := TLSFragment{Method: TypePEAP}
		if !ack.IsAck() {
			t.Fatal("empty fragment is not an ACK")
		}
		var r Reassembler
		out, errs := feed(t, &r, 1, []TLSFragment{ack, ack, ack})
		if len(out) != 0 || len(errs) != 0 || r.Pending() != 0 || r.InProgress() {
			t.Errorf("out %d errs %v pending %d", len(out), errs, r.Pending())
		}
	})
	t.Run("empty fragment announcing a length", func(t *testing.T) {
		var r Reassembler
		data, ok, err := r.Add(1, TLSFragment{Method: TypeTLS, Flags: FlagLength, HasLength: true, MessageLength: 10})
		if data != nil || ok || dissect.KindOf(err) != dissect.Malformed || r.InProgress() {
			t.Errorf("%x %v %v", data, ok, err)
		}
	})
	t.Run("retransmitted fragments", func(t *testing.T) {
		frags := FragmentTLS(TypeTLS, 0, flight, 400, LengthOnFirst)
		var r Reassembler
		var out [][]byte
		id := uint8(7)
		for i, f := range frags {
			for rep := 0; rep < 1+i%2; rep++ { // every second fragment sent twice
				data, complete, err := r.Add(id, f)
				if err != nil {
					t.Fatal(err)
				}
				if complete {
					out = append(out, data)
				}
			}
			id++
		}
		if len(out) != 1 || !bytes.Equal(out[0], flight) || r.Retransmissions() != len(frags)/2 {
			t.Errorf("out %d, retransmissions %d of %d fragments", len(out), r.Retransmissions(), len(frags))
		}
		r.Reset()
		if r.Retransmissions() != 0 {
			t.Error("Reset kept the count")
		}
	})
	t.Run("cap exceeded by the announced length", func(t *testing.T) {
		r := Reassembler{Max: 1000}
		frags := FragmentTLS(TypeTLS, 0, flight, 300, LengthOnFirst)
		out, errs := feed(t, &r, 1, frags)
		if len(out) != 0 || kind(errs) != dissect.CapExceeded || r.InProgress() {
			t.Errorf("out %d errs %v", len(out), errs)
		}
		// The next message is joined normally.
		out, errs = feed(t, &r, 100, FragmentTLS(TypeTLS, 0, flight[:900], 300, LengthOnFirst))
		if len(out) != 1 || len(errs) != 0 || !bytes.Equal(out[0], flight[:900]) {
			t.Errorf("after the cap: out %d errs %v", len(out), errs)
		}
	})
	t.Run("cap exceeded without a length", func(t *testing.T) {
		r := Reassembler{Max: 1000}
		out, errs := feed(t, &r, 1, FragmentTLS(TypeTLS, 0, flight, 300, LengthNever))
		if len(out) != 0 || kind(errs) != dissect.CapExceeded || r.InProgress() {
			t.Errorf("out %d errs %v", len(out), errs)
		}
	})
	t.Run("default cap", func(t *testing.T) {
		var r Reassembler
		_, _, err := r.Add(1, TLSFragment{Method: TypeTLS, Flags: FlagLength | FlagMore, HasLength: true, MessageLength: dissect.MaxEAPTLSMessage + 1, Data: []byte{1}})
		if dissect.KindOf(err) != dissect.CapExceeded {
			t.Errorf("err %v", err)
		}
	})
	t.Run("Start abandons a half-joined message", func(t *testing.T) {
		var r Reassembler
		frags := FragmentTLS(TypeTLS, 0, flight, 500, LengthOnFirst)
		if _, errs := feed(t, &r, 1, frags[:2]); len(errs) != 0 || r.Pending() != 1000 {
			t.Fatalf("pending %d", r.Pending())
		}
		start := TLSFragment{Method: TypeTLS, Flags: FlagStart}
		if _, _, err := r.Add(50, start); err != nil || r.InProgress() {
			t.Errorf("after Start: %v, pending %d", err, r.Pending())
		}
	})
}

// TestReassemblerNoCopyWhenUnfragmented: an unfragmented message comes back
// without allocating.
func TestReassemblerAllocs(t *testing.T) {
	data := bytes.Repeat([]byte{0x17}, 300)
	f := TLSFragment{Method: TypePEAP, Data: data}
	ack := TLSFragment{Method: TypePEAP}
	var r Reassembler
	id := uint8(0)
	allocs := testing.AllocsPerRun(1000, func() {
		id++
		if out, ok, err := r.Add(id, f); !ok || err != nil || len(out) != len(data) {
			t.Fatal("unfragmented message not returned")
		}
		id++
		r.Add(id, ack)
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per unfragmented message and ACK", allocs)
	}
}
