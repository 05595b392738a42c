package correlate_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate"
	"github.com/sessionscope/sscope/correlate/source"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/rules"
)

// fuzzSeeds are small real captures: the lab captures and corpus captures
// with RADIUS, EAP, TLS, DTLS and IP fragments.
func fuzzSeeds(f *testing.F) [][]byte {
	var paths []string
	lab, _ := filepath.Glob(filepath.Join(labDir, "*.pcapng"))
	paths = append(paths, lab...)
	for _, p := range []string{
		"tcpdump/RADIUS.pcap", "zeek/Traces/radius/radius_localhost.pcap", "arkime/tls-client-sessionid.pcap",
		"nDPI/pcap/tls_2_reasms.pcapng", "nDPI/pcap/dtls_old_version.pcapng", "zeek/Traces/tls/hrr.pcap",
		"nDPI/pcap/fuzz-2020-02-16-11740.pcap",
	} {
		paths = append(paths, filepath.Join(corpusDir, p))
	}
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil && len(b) < 200<<10 {
			out = append(out, b)
		}
	}
	return out
}

func fuzzOptions() correlate.Options {
	return correlate.Options{TLSDetect: true, Judge: rules.New(), KeepSessions: true}
}

// FuzzAnalyzeCapture feeds whole capture files, damaged any way, through
// the pipeline: reader, frame decoder, IP and TCP reassembly, RADIUS, EAP
// and TLS. Nothing may panic and the stats must add up.
func FuzzAnalyzeCapture(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := correlate.New(fuzzOptions())
		r, err := source.NewReader("fuzz", bytes.NewReader(data), nil)
		idx := a.AddInput("fuzz", "unknown")
		if err != nil {
			a.EndInput(idx, nil, err)
			a.Finish()
			return
		}
		var p source.Packet
		for {
			if err = r.Next(&p); err != nil {
				break
			}
			a.Packet(idx, &p)
		}
		if errors.Is(err, io.EOF) {
			err = nil
		}
		a.EndInput(idx, r, err)
		checkStats(t, a)
	})
}

func checkStats(t *testing.T, a *correlate.Analyzer) {
	rep := a.Finish()
	st := rep.Stats
	if st.Decoded+st.Skipped+st.Malformed+st.Truncated != st.Packets {
		t.Fatalf("stats do not add up: %+v", st)
	}
	for _, s := range rep.Sessions {
		if s.ID == "" || s.Kind == "" {
			t.Fatalf("session without id or kind: %+v", s)
		}
	}
}

// FuzzPacketSequence feeds sequences of Ethernet frames (2-byte length,
// then the frame) with increasing times: the structure the TCP and IP
// reassembly and the conversation trackers see, without the file format.
func FuzzPacketSequence(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		if seq := frameSequence(b); len(seq) > 0 {
			f.Add(seq)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a := correlate.New(fuzzOptions())
		idx := a.AddInput("fuzz", "pcap")
		ts := time.Unix(1700000000, 0)
		var frame uint64
		for len(data) >= 2 {
			n := int(binary.BigEndian.Uint16(data))
			data = data[2:]
			if n > len(data) {
				n = len(data)
			}
			frame++
			ts = ts.Add(time.Duration(n%7) * 300 * time.Millisecond)
			p := source.Packet{Data: data[:n], Timestamp: ts, CaptureLength: n, Length: n, Link: packet.LinkEthernet, Frame: frame}
			a.Packet(idx, &p)
			data = data[n:]
		}
		a.EndInput(idx, nil, nil)
		checkStats(t, a)
	})
}

// frameSequence turns an Ethernet capture into the FuzzPacketSequence format.
func frameSequence(capture []byte) []byte {
	r, err := source.NewReader("seed", bytes.NewReader(capture), nil)
	if err != nil {
		return nil
	}
	var out []byte
	var p source.Packet
	for r.Next(&p) == nil {
		if p.Link != packet.LinkEthernet || len(p.Data) > 0xffff {
			return nil
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(p.Data)))
		out = append(out, p.Data...)
	}
	return out
}
