package tlsengine_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/samples/refimpl/detrand"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// pcapBuilder writes conversations as TCP streams to port 443 in a pcap,
// each flight cut into segments of at most mss bytes.
type pcapBuilder struct {
	t    *testing.T
	w    *pcapgo.Writer
	buf  bytes.Buffer
	at   time.Time
	port uint16
}

const mss = 1400

func newPcapBuilder(t *testing.T) *pcapBuilder {
	b := &pcapBuilder{t: t, at: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC), port: 50000}
	b.w = pcapgo.NewWriter(&b.buf)
	if err := b.w.WriteFileHeader(65535, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	return b
}

// tcpEnd is one direction of a TCP connection.
type tcpEnd struct {
	mac      net.HardwareAddr
	ip       net.IP
	port     uint16
	seq, ack uint32
}

func (b *pcapBuilder) packet(from, to *tcpEnd, flags string, payload []byte) {
	b.t.Helper()
	eth := &layers.Ethernet{SrcMAC: from.mac, DstMAC: to.mac, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: from.ip, DstIP: to.ip}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(from.port), DstPort: layers.TCPPort(to.port), Seq: from.seq, Window: 65535,
		SYN: strings.Contains(flags, "S"), ACK: strings.Contains(flags, "A"), FIN: strings.Contains(flags, "F"), PSH: len(payload) > 0}
	if tcp.ACK {
		tcp.Ack = to.seq
	}
	if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
		b.t.Fatal(err)
	}
	sb := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(sb, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp, gopacket.Payload(payload)); err != nil {
		b.t.Fatal(err)
	}
	b.at = b.at.Add(time.Millisecond)
	data := sb.Bytes()
	if err := b.w.WritePacket(gopacket.CaptureInfo{Timestamp: b.at, CaptureLength: len(data), Length: len(data)}, data); err != nil {
		b.t.Fatal(err)
	}
	from.seq += uint32(len(payload))
	if tcp.SYN || tcp.FIN {
		from.seq++
	}
}

// stream writes one conversation as a TCP connection.
func (b *pcapBuilder) stream(w *wire) {
	b.port++
	cl := &tcpEnd{mac: net.HardwareAddr{2, 0, 0, 0, 0, 1}, ip: net.IPv4(10, 0, 0, 1).To4(), port: b.port, seq: 1000}
	sv := &tcpEnd{mac: net.HardwareAddr{2, 0, 0, 0, 0, 2}, ip: net.IPv4(10, 0, 0, 2).To4(), port: 443, seq: 5000}
	b.packet(cl, sv, "S", nil)
	b.packet(sv, cl, "SA", nil)
	b.packet(cl, sv, "A", nil)
	for _, f := range w.flights {
		from, to := sv, cl
		if f.fromClient {
			from, to = cl, sv
		}
		for d := f.data; len(d) > 0; {
			n := min(len(d), mss)
			b.packet(from, to, "A", d[:n])
			d = d[n:]
		}
		b.packet(to, from, "A", nil)
	}
	b.packet(cl, sv, "FA", nil)
	b.packet(sv, cl, "FA", nil)
	b.packet(cl, sv, "A", nil)
}

// keyLog collects NSS key log lines.
type keyLog struct{ lines []string }

func (k *keyLog) add(cr, ms []byte) {
	k.lines = append(k.lines, fmt.Sprintf("CLIENT_RANDOM %s %s", hex.EncodeToString(cr), hex.EncodeToString(ms)))
}

// tsharkScenario is one conversation and what tshark must see in it.
type tsharkScenario struct {
	name       string
	finished   int  // decrypted Finished messages
	http       bool // a decrypted request and response
	alert      int  // alert description in the clear, or -1
	clientHell int  // ClientHello messages (renegotiations are encrypted)
}

// TestTsharkDecrypts writes ours-vs-ours conversations of every kind to a
// pcap with an NSS key log and checks that tshark decrypts every
// handshake and every application record and reports nothing malformed:
// the record layer and the key schedule are standard.
func TestTsharkDecrypts(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the oracle test needs tshark (Wireshark) 4.0 or later")
	}
	clk := newClock()
	var kl keyLog
	pb := newPcapBuilder(t)
	var want []tsharkScenario
	run := func(sc tsharkScenario, ccfg, scfg *tlsengine.Config, after func(w *wire, c, s *tlsengine.Conn)) *tlsengine.Conn {
		ccfg.KeyLog = kl.add
		c, s, w := connect(t, ccfg, scfg)
		if sc.http {
			mustComplete(t, c, s)
		}
		if after != nil {
			after(w, c, s)
		}
		if sc.http {
			exchangeData(t, w, c, s, sc.name)
		}
		pb.stream(w)
		want = append(want, sc)
		return c
	}
	for _, id := range allSuites {
		run(tsharkScenario{name: "full-" + hex.EncodeToString([]byte{byte(id >> 8), byte(id)}), finished: 2, http: true, alert: -1, clientHell: 1},
			clientConfig(fmt.Sprint("tshark ", id), clk, id), serverConfig(fmt.Sprint("tshark ", id), clk, id), nil)
	}
	// Session ID resumption.
	scfg := serverConfig("tshark-sid", clk, allSuites...)
	scfg.SessionCache = tlsengine.NewSessionCache(time.Hour)
	c := run(tsharkScenario{name: "sid-1", finished: 2, http: true, alert: -1, clientHell: 1}, clientConfig("tshark-sid", clk, allSuites...), scfg, nil)
	ccfg := clientConfig("tshark-sid-2", clk, allSuites...)
	ccfg.Session = c.Session()
	run(tsharkScenario{name: "sid-2", finished: 2, http: true, alert: -1, clientHell: 1}, ccfg, scfg, nil)
	// Ticket resumption.
	scfg = serverConfig("tshark-ticket", clk, allSuites...)
	scfg.TicketKey, _ = tlsengine.NewTicketKey(detrand.New("tshark ticket key"))
	ccfg = clientConfig("tshark-ticket", clk, allSuites...)
	ccfg.OfferTicket = true
	c = run(tsharkScenario{name: "ticket-1", finished: 2, http: true, alert: -1, clientHell: 1}, ccfg, scfg, nil)
	ccfg = clientConfig("tshark-ticket-2", clk, allSuites...)
	ccfg.OfferTicket, ccfg.Session = true, c.Session()
	run(tsharkScenario{name: "ticket-2", finished: 2, http: true, alert: -1, clientHell: 1}, ccfg, scfg, nil)
	// PAC-based tunnel.
	pacKey := []byte("0123456789abcdef0123456789abcdef")
	scfg = serverConfig("tshark-pac", clk, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA)
	scfg.PACResolver = func([]byte) ([]byte, bool) { return pacKey, true }
	ccfg = clientConfig("tshark-pac", clk, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA)
	ccfg.PACOpaque, ccfg.PACKey = []byte("opaque"), pacKey
	run(tsharkScenario{name: "pac", finished: 2, http: true, alert: -1, clientHell: 1}, ccfg, scfg, nil)
	// Renegotiation after a CertificateRequest: answered with a
	// certificate both times (ECDHE), with an empty Certificate both
	// times (RSA, scenario F3).
	for i, id := range []uint16{tlsengine.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA} {
		scfg = serverConfig(fmt.Sprint("tshark-reneg ", i), clk, id)
		scfg.RequestClientCert = true
		ccfg = clientConfig(fmt.Sprint("tshark-reneg ", i), clk, id)
		if i == 0 {
			ccfg.Certificate = pki.Client()
		}
		run(tsharkScenario{name: fmt.Sprintf("reneg-%d", i), finished: 4, http: true, alert: -1, clientHell: 2}, ccfg, scfg,
			func(w *wire, c, s *tlsengine.Conn) {
				exchangeData(t, w, c, s, "before-renegotiation")
				hello, err := s.Renegotiate()
				if err != nil {
					t.Fatal(err)
				}
				deliver(w, c, s, nil, hello)
				mustComplete(t, c, s)
			})
	}
	// No common suite: a cleartext handshake_failure.
	scfg = serverConfig("tshark-fail", clk, tlsengine.TLS_DH_anon_WITH_AES_128_CBC_SHA)
	run(tsharkScenario{name: "fail", alert: 40, clientHell: 1}, clientConfig("tshark-fail", clk, tlsengine.TLS_RSA_WITH_AES_128_CBC_SHA), scfg, nil)

	dir := t.TempDir()
	if d := os.Getenv("SSCOPE_TLSENGINE_PCAP_DIR"); d != "" {
		dir = d
	}
	pcapPath, keyPath := filepath.Join(dir, "tlsengine.pcap"), filepath.Join(dir, "tlsengine.keys")
	if err := os.WriteFile(pcapPath, pb.buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, []byte(strings.Join(kl.lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fields := func(filter string, f ...string) [][]string {
		args := []string{"-n", "-r", pcapPath, "-o", "tls.keylog_file:" + keyPath, "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
		for _, x := range f {
			args = append(args, "-e", x)
		}
		out, err := exec.Command(tshark, args...).Output()
		if err != nil {
			t.Fatalf("tshark %v: %v", args, err)
		}
		var rows [][]string
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if line != "" {
				rows = append(rows, strings.Split(line, "\t"))
			}
		}
		return rows
	}
	count := func(filter, field string, match func(v string) bool) map[string]int {
		n := map[string]int{}
		for _, row := range fields(filter, "tcp.stream", field) {
			for _, v := range strings.Split(row[1], ",") {
				if match(v) {
					n[row[0]]++
				}
			}
		}
		return n
	}
	finished := count("tls.handshake.type", "tls.handshake.type", func(v string) bool { return v == "20" })
	hellos := count("tls.handshake.type", "tls.handshake.type", func(v string) bool { return v == "1" })
	requests := count("http.request", "http.request.uri", func(v string) bool { return strings.HasPrefix(v, "/") })
	responses := count("http.response", "http.response.code", func(v string) bool { return v == "200" })
	alerts := count("tls.alert_message", "tls.alert_message.desc", func(string) bool { return true })
	for i, sc := range want {
		s := fmt.Sprint(i)
		if finished[s] != sc.finished || hellos[s] != sc.clientHell {
			t.Errorf("%s (stream %s): tshark decrypted %d Finished and %d ClientHello, want %d and %d", sc.name, s, finished[s], hellos[s], sc.finished, sc.clientHell)
		}
		wantHTTP := 0
		if sc.http {
			wantHTTP = 1
			if strings.HasPrefix(sc.name, "reneg") {
				wantHTTP = 2
			}
		}
		if requests[s] != wantHTTP || responses[s] != wantHTTP {
			t.Errorf("%s (stream %s): tshark decrypted %d requests and %d responses, want %d", sc.name, s, requests[s], responses[s], wantHTTP)
		}
		if (sc.alert >= 0) != (alerts[s] == 1) {
			t.Errorf("%s (stream %s): %d alerts", sc.name, s, alerts[s])
		}
	}
	if rows := fields("tls.alert_message.desc", "tls.alert_message.desc"); len(rows) != 1 || rows[0][0] != "40" {
		t.Errorf("alerts %v", rows)
	}
	if rows := fields("_ws.malformed || _ws.expert.severity >= \"warning\" || tls.ignored_unknown_record", "frame.number", "_ws.expert.message"); len(rows) > 0 {
		t.Errorf("tshark found problems:\n%v", rows)
	}
	if slices.ContainsFunc(kl.lines, func(l string) bool { return !strings.HasPrefix(l, "CLIENT_RANDOM ") }) {
		t.Error("bad key log line")
	}
}
