package tlsdecrypt

// Test plumbing: connections as ordered records, from crypto/tls over
// net.Pipe or from captures (TCP streams, and the TLS tunnels of RADIUS
// EAP conversations).

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/correlate/keys"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/correlate/tcpstream"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/dissect/tls"
)

// dirRecord is one record of a connection with its direction.
type dirRecord struct {
	dir Dir
	rec tls.Record
}

// conn is a connection's records in the order they were sent.
type conn struct {
	name string
	recs []dirRecord
}

// recordStream cuts one direction's bytes into records.
type recordStream struct {
	buf  []byte
	dtls bool
}

func (s *recordStream) add(b []byte) []tls.Record {
	s.buf = append(s.buf, b...)
	var out []tls.Record
	for len(s.buf) > 0 {
		rec, n, err := tls.ParseRecord(s.buf, s.dtls)
		if err != nil {
			break
		}
		rec.Fragment = append([]byte(nil), rec.Fragment...)
		rec.Header = nil
		out = append(out, rec)
		s.buf = s.buf[n:]
	}
	s.buf = append([]byte(nil), s.buf...)
	return out
}

// decryptAll feeds every record to d and returns the application data
// each direction decrypted to, and every result.
func decryptAll(d *Decrypter, c conn) (app [2][]byte, res []Result) {
	for _, r := range c.recs {
		x := d.Record(r.dir, r.rec)
		res = append(res, x)
		if x.Err == nil && x.Type == tls.ContentApplicationData {
			app[r.dir] = append(app[r.dir], x.Plaintext...)
		}
	}
	return app, res
}

// errorsOf returns the errors of the results.
func errorsOf(res []Result) []error {
	var out []error
	for _, r := range res {
		if r.Err != nil {
			out = append(out, r.Err)
		}
	}
	return out
}

// storeOf returns a store holding a key log.
func storeOf(t testing.TB, keylog string) *keys.Store {
	t.Helper()
	s := keys.NewStore()
	if l := s.AddKeyLog([]byte(keylog), "test"); len(l.Problems) > 0 {
		t.Fatalf("key log: %v", l.Problems[0])
	}
	return s
}

// pipeRecorder records, in order, what both ends of a net.Pipe write.
type pipeRecorder struct {
	mu      sync.Mutex
	streams [2]recordStream
	c       conn
}

type recordingEnd struct {
	net.Conn
	r   *pipeRecorder
	dir Dir
}

func (e *recordingEnd) Write(p []byte) (int, error) {
	e.r.mu.Lock()
	for _, rec := range e.r.streams[e.dir].add(p) {
		e.r.c.recs = append(e.r.c.recs, dirRecord{e.dir, rec})
	}
	e.r.mu.Unlock()
	return e.Conn.Write(p)
}

// pipe returns the client and server ends of a recorded connection.
func pipe() (client, server net.Conn, rec *pipeRecorder) {
	a, b := net.Pipe()
	rec = &pipeRecorder{}
	return &recordingEnd{a, rec, ClientToServer}, &recordingEnd{b, rec, ServerToClient}, rec
}

// ---- captures ----

// readCapture calls fn for every decoded frame of a capture file.
func readCapture(t testing.TB, path string, fn func(f *packet.Frame, at flow.Ref)) {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var p source.Packet
	for {
		if err := r.Next(&p); err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			return
		}
		var f packet.Frame
		if dec.Decode(p.Link, p.Data, &f) != nil && !f.HasTransport && !f.Fragment {
			continue
		}
		fn(&f, flow.Ref{Frame: p.Frame, Time: p.Timestamp})
	}
}

// secretsOf returns a store holding the key logs of a capture's
// Decryption Secrets Blocks.
func secretsOf(t testing.TB, path string) *keys.Store {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var p source.Packet
	for r.Next(&p) == nil {
	}
	s := keys.NewStore()
	for _, sec := range r.Secrets() {
		if sec.Type == source.SecretsTLSKeyLog {
			if l := s.AddKeyLog(sec.Data, path); len(l.Problems) > 0 {
				t.Fatalf("DSB key log: %v", l.Problems[0])
			}
		}
	}
	return s
}

// tcpConn follows one TCP connection of a capture (tcpstream.Handler).
type tcpConn struct {
	c       conn
	streams [2]recordStream
}

func (h *tcpConn) Segment(flow.Dir, *packet.Frame, flow.Ref) {}
func (h *tcpConn) Gap(flow.Dir, int, flow.Ref)               {}
func (h *tcpConn) Close(string, flow.Ref)                    {}
func (h *tcpConn) Data(dir flow.Dir, data []byte, _ func(int) flow.Ref) {
	for _, rec := range h.streams[dir].add(data) {
		h.c.recs = append(h.c.recs, dirRecord{dir, rec})
	}
}

// tcpConns returns the records of every TCP connection of a capture, the
// client being the side of the SYN (or of the higher port).
func tcpConns(t testing.TB, path string) []conn {
	t.Helper()
	tr := tcpstream.New(tcpstream.Options{GapWait: time.Hour})
	var all []*tcpConn
	readCapture(t, path, func(f *packet.Frame, at flow.Ref) {
		if f.Proto != packet.ProtoTCP || !f.HasTransport {
			return
		}
		if tr.Open(f) {
			tr.Packet(f, at)
			return
		}
		syn := f.TCP.Flags&packet.TCPFlagSYN != 0
		if !syn && len(f.Payload) == 0 {
			return
		}
		h := &tcpConn{}
		all = append(all, h)
		tr.Follow(f, (syn && f.TCP.Flags&packet.TCPFlagACK == 0) || (!syn && f.SrcPort > f.DstPort), h, at)
	})
	tr.Flush()
	var out []conn
	for _, h := range all {
		if len(h.c.recs) > 0 {
			out = append(out, h.c)
		}
	}
	return out
}

// eapConns returns the TLS records of every TLS-based EAP conversation
// carried by RADIUS in a capture: a new conversation starts at each
// server Start.
func eapConns(t testing.TB, path string) []conn {
	t.Helper()
	frag := ipfrag.New(ipfrag.Options{})
	var out []conn
	var cur *conn
	var reasm [2]eap.Reassembler
	var streams [2]recordStream
	readCapture(t, path, func(f *packet.Frame, at flow.Ref) {
		payload := f.Payload
		if f.Fragment {
			p, _, done, err := frag.Add(f, at.Time, at.Frame)
			if !done || err != nil {
				return
			}
			if packet.DecodeTransport(f.Proto, p, f) != nil {
				return
			}
			payload = f.Payload
		}
		if f.Proto != packet.ProtoUDP || (f.SrcPort != 1812 && f.DstPort != 1812) {
			return
		}
		rp, err := radius.Parse(payload)
		if err != nil {
			return
		}
		msg, ok := rp.EAPMessage()
		if !ok {
			return
		}
		var ep eap.Packet
		if ep.DecodeFromBytes(msg) != nil || !eap.IsTLSBased(ep.Type) {
			return
		}
		tf, err := eap.ParseTLSFragment(&ep)
		if err != nil {
			return
		}
		dir := ClientToServer
		if ep.Code == eap.CodeRequest {
			dir = ServerToClient
		}
		if tf.IsStart() && dir == ServerToClient {
			out = append(out, conn{name: path})
			cur = &out[len(out)-1]
			reasm = [2]eap.Reassembler{}
			streams = [2]recordStream{}
			return
		}
		if cur == nil {
			return
		}
		data, complete, _ := reasm[dir].Add(ep.Identifier, tf)
		if !complete {
			return
		}
		for _, rec := range streams[dir].add(data) {
			cur.recs = append(cur.recs, dirRecord{dir, rec})
		}
	})
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// asError is errors.As for *Error.
func asError(err error, e **Error) bool { return errors.As(err, e) }
