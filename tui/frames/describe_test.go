package frames

import (
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/dissect/tls"
)

const tsharkPath = "/usr/bin/tshark"

// tsharkFields runs tshark over a capture and returns, per frame, the
// values of the fields asked for.
func tsharkFields(t *testing.T, path string, fields ...string) [][]string {
	t.Helper()
	if _, err := exec.LookPath(tsharkPath); err != nil {
		t.Skip("tshark (the oracle) is not installed at " + tsharkPath)
	}
	args := []string{"-r", path, "-o", "tls.desegment_ssl_records:FALSE", "-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tsharkPath, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	var rows [][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		rows = append(rows, strings.Split(line, "|"))
	}
	return rows
}

// fieldsBySection flattens a description to "Section.name" -> values.
func fieldsBySection(fs []Field) map[string][]string {
	m := map[string][]string{}
	sec := ""
	for _, f := range fs {
		if f.Depth == 0 {
			sec = f.Name
			m[sec] = append(m[sec], f.Value)
			continue
		}
		m[sec+"."+f.Name] = append(m[sec+"."+f.Name], f.Value)
	}
	return m
}

// Describe names the same addresses, ports, RADIUS, EAP and TLS record
// headers as tshark does, frame by frame.
func TestDescribeMatchesTshark(t *testing.T) {
	for _, rel := range []string{"samples/scenarios/P3.pcapng", "samples/lab/captures/T1.pcapng", "samples/lab/captures/P1-ipfrag.pcapng"} {
		t.Run(rel, func(t *testing.T) {
			path := repoFile(t, rel)
			rows := tsharkFields(t, path, "frame.number", "ip.src", "ip.dst", "udp.srcport", "tcp.srcport", "radius.code", "radius.id", "radius.User_Name", "eap.code", "eap.id", "eap.type", "tls.record.content_type", "tls.record.length", "ip.frag_offset", "ip.flags.mf")
			st := NewStore([]string{path})
			opts := DescribeOptions{RADIUSPorts: []uint16{1812, 1813}}
			checked := 0
			for _, row := range rows {
				n, _ := strconv.ParseUint(row[0], 10, 64)
				f, err := st.Frame(0, n)
				if err != nil {
					t.Fatal(err)
				}
				m := fieldsBySection(Describe(&f, opts))
				for i := 1; i < 11; i++ {
					// Scalars: the outer layer (tshark also lists
					// tunnelled EAP).
					row[i], _, _ = strings.Cut(row[i], ",")
				}
				eq := func(what, want string, got []string) {
					t.Helper()
					if strings.Join(got, ",") != want {
						t.Errorf("frame %d %s: got %q, tshark %q", n, what, got, want)
					}
				}
				eq("ip source", row[1], m["IPv4.source"])
				eq("ip destination", row[2], m["IPv4.destination"])
				fragment := row[13] != "" && row[13] != "0" || row[14] == "1"
				if fragment {
					// A later fragment: tshark shows the reassembled
					// datagram, we show the fragment.
					if len(m["IPv4.fragment"]) != 1 {
						t.Errorf("frame %d: fragment not described: %v", n, m)
					}
					continue
				}
				port := row[3] + row[4]
				if ports := append(m["UDP.ports"], m["TCP.ports"]...); len(ports) != 1 || !strings.HasPrefix(ports[0], port+" → ") {
					t.Errorf("frame %d ports %v, tshark source port %s", n, ports, port)
				}
				if row[5] != "" && len(m["RADIUS"]) == 1 {
					code, _ := strconv.Atoi(row[5])
					eq("radius", fmt.Sprintf("%s, id %s", radius.Code(code), row[6]), []string{strings.Split(m["RADIUS"][0], ", length")[0]})
					eq("User-Name", row[7], m["RADIUS.User-Name"])
					if row[8] != "" {
						code, _ := strconv.Atoi(row[8])
						want := fmt.Sprintf("%s, id %s", eap.Code(code), row[9])
						if row[10] != "" {
							typ, _ := strconv.Atoi(row[10])
							want += ", type " + eap.Type(typ).String()
						}
						got := m["EAP"]
						if len(got) == 1 {
							got = []string{strings.Replace(got[0], fmt.Sprintf(", length %s", lengthOf(got[0])), "", 1)}
						}
						eq("eap", want, got)
					}
					checked++
				} else if row[5] != "" {
					t.Errorf("frame %d: tshark sees RADIUS, Describe does not: %v", n, m)
				}
				_, tcp := m["TCP"]
				if tcp && row[11] != "" || len(m["TLS record"]) > 0 && !strings.Contains(m["TLS record"][0], "continues") {
					// Over TCP every segment is compared (desegmentation is
					// off); inside EAP, fragments holding whole records.
					var types, lengths []string
					for _, v := range m["TLS record"] {
						if strings.Contains(v, "continues in a later segment") {
							// tshark (desegmentation off) does not
							// show a record it cannot see whole.
							continue
						}
						parts := strings.Split(v, ", ")
						types = append(types, contentTypeNumber(parts[0]))
						lengths = append(lengths, strings.TrimPrefix(strings.Fields(parts[2])[1], ""))
					}
					eq("tls record types", row[11], types)
					eq("tls record lengths", row[12], lengths)
					checked++
				}
			}
			if checked == 0 {
				t.Fatal("no RADIUS or TLS frame compared")
			}
		})
	}
}

func lengthOf(s string) string {
	i := strings.Index(s, ", length ")
	if i < 0 {
		return ""
	}
	rest := s[i+len(", length "):]
	if j := strings.IndexByte(rest, ','); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func contentTypeNumber(name string) string {
	for i := 20; i <= 27; i++ {
		if tls.ContentType(i).String() == name {
			return strconv.Itoa(i)
		}
	}
	return name
}

func TestDescribeNeverPanics(t *testing.T) {
	st := NewStore([]string{repoFile(t, "samples/scenarios/P3.pcapng")})
	f, err := st.Frame(0, 23)
	if err != nil {
		t.Fatal(err)
	}
	for cut := 0; cut <= len(f.Data); cut++ {
		g := f
		g.Data = f.Data[:cut]
		fs := Describe(&g, DescribeOptions{RADIUSPorts: []uint16{1812}})
		if len(fs) == 0 || fs[0].Name != "Frame" {
			t.Fatalf("cut %d: %v", cut, fs)
		}
	}
}

func TestDescribeRedactsSecrets(t *testing.T) {
	st := NewStore([]string{repoFile(t, "samples/scenarios/P3.pcapng")})
	f, err := st.Frame(0, 20) // Access-Accept with MS-MPPE keys
	if err != nil {
		t.Fatal(err)
	}
	hidden := fieldsBySection(Describe(&f, DescribeOptions{RADIUSPorts: []uint16{1812}}))
	shown := fieldsBySection(Describe(&f, DescribeOptions{RADIUSPorts: []uint16{1812}, ShowSecrets: true}))
	if got := hidden["RADIUS.MS-MPPE-Recv-Key"]; len(got) != 1 || got[0] != radius.Redacted {
		t.Errorf("hidden: %v", got)
	}
	if got := shown["RADIUS.MS-MPPE-Recv-Key"]; len(got) != 1 || got[0] == radius.Redacted {
		t.Errorf("shown: %v", got)
	}
}

func TestHexDump(t *testing.T) {
	data := []byte("GET / HTTP/1.1\r\nHost: x\r\n\x00\x01\xff")
	got := HexDump(data, 80)
	want := []string{
		"0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a  GET / HTTP/1.1..",
		"0010  48 6f 73 74 3a 20 78 0d  0a 00 01 ff              Host: x.....",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("80 columns:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, w := range []int{10, 23, 39, 40, 72, 80, 140, 200} {
		for _, line := range HexDump(data, w) {
			if len(line) > max(w, hexLineWidth(4, 4)) {
				t.Errorf("width %d: line %q is %d wide", w, line, len(line))
			}
		}
	}
	if n := len(HexDump(data, 39)); n != 4 {
		t.Errorf("39 columns: %d lines, want 4 (8 bytes a line)", n)
	}
	if n := len(HexDump(data, 38)); n != 7 {
		t.Errorf("38 columns: %d lines, want 7 (4 bytes a line)", n)
	}
	if got := HexDump(make([]byte, 0x10001), 80); !strings.HasPrefix(got[len(got)-1], "10000  00") {
		t.Errorf("offsets past 64 KiB: %q", got[len(got)-1])
	}
	if got := HexDump(nil, 80); len(got) != 0 {
		t.Errorf("empty: %q", got)
	}
}
