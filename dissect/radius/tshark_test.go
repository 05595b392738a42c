package radius

import (
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

// The tshark oracle: tshark's PDML reading of every corpus RADIUS packet,
// attribute by attribute.

type pdmlField struct {
	Name     string      `xml:"name,attr"`
	Showname string      `xml:"showname,attr"`
	Show     string      `xml:"show,attr"`
	Pos      int         `xml:"pos,attr"`
	Size     int         `xml:"size,attr"`
	Fields   []pdmlField `xml:"field"`
}

type pdmlProto struct {
	Name     string      `xml:"name,attr"`
	Showname string      `xml:"showname,attr"`
	Pos      int         `xml:"pos,attr"`
	Fields   []pdmlField `xml:"field"`
}

type pdmlPacket struct {
	Protos []pdmlProto `xml:"proto"`
}

// tsharkAVP is one attribute (or vendor sub-attribute) as tshark read it.
type tsharkAVP struct {
	Name   string
	Type   int
	Length int
	Offset int // from the start of the RADIUS packet
	Vendor int // for a Vendor-Specific attribute
	Value  string
	Field  string // the typed field name, e.g. radius.User_Name
	Subs   []tsharkAVP
}

type tsharkRADIUS struct {
	Frame     int
	Code, ID  int
	Length    int
	Malformed bool
	Stopped   bool // an inner layer threw; tshark stopped listing attributes
	AVPs      []tsharkAVP
}

var (
	tsharkAVPRE    = regexp.MustCompile(`^AVP: t=(.+?)\((\d+)\) l=(\d+)`)
	tsharkVSARE    = regexp.MustCompile(`^VSA: t=(.+?)\((\d+)\) l=(\d+)`)
	tsharkVendorRE = regexp.MustCompile(` vnd=.*\((\d+)\)`)
	tsharkHexRE    = regexp.MustCompile(`^[0-9a-f]{2}(:[0-9a-f]{2})*$`)
)

func needTshark(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: the tshark oracle test needs it (apt-get install tshark)")
	}
	return path
}

// runTshark returns tshark's reading of the RADIUS packets of a capture.
func runTshark(t *testing.T, tshark, capture string) []tsharkRADIUS {
	t.Helper()
	cmd := exec.Command(tshark, "-r", capture, "-T", "pdml", "-Y", "radius")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", capture, err)
	}
	// tshark copies undecodable bytes of crafted packets into the XML.
	dec := xml.NewDecoder(strings.NewReader(strings.ToValidUTF8(string(out), "\uFFFD")))
	var pkts []tsharkRADIUS
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: PDML: %v", capture, err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "packet" {
			continue
		}
		var pp pdmlPacket
		if err := dec.DecodeElement(&pp, &se); err != nil {
			t.Fatalf("%s: PDML packet: %v", capture, err)
		}
		var r tsharkRADIUS
		for _, pr := range pp.Protos {
			switch pr.Name {
			case "frame":
				for _, f := range pr.Fields {
					if f.Name == "frame.number" {
						r.Frame, _ = strconv.Atoi(f.Show)
					}
				}
			case "radius":
				if r.AVPs != nil || r.Code != 0 {
					t.Fatalf("%s frame %d: two RADIUS packets in one frame", capture, r.Frame)
				}
				readTsharkRADIUS(&r, pr)
			case "_ws.malformed":
				// "[Malformed Packet: RADIUS]", or of a layer inside
				// (EAP), after which tshark lists no more attributes.
				if strings.Contains(pr.Showname, "RADIUS") {
					r.Malformed = true
				} else {
					r.Stopped = true
				}
			}
		}
		pkts = append(pkts, r)
	}
	return pkts
}

func readTsharkRADIUS(r *tsharkRADIUS, pr pdmlProto) {
	var walk func(fs []pdmlField)
	walk = func(fs []pdmlField) {
		for _, f := range fs {
			switch {
			case f.Name == "radius.code":
				r.Code, _ = strconv.Atoi(f.Show)
			case f.Name == "radius.id":
				r.ID, _ = strconv.Atoi(f.Show)
			case f.Name == "radius.length":
				r.Length, _ = strconv.Atoi(f.Show)
			case f.Name == "radius.avp":
				r.AVPs = append(r.AVPs, readTsharkAVP(f, pr.Pos))
			case f.Name == "_ws.expert" && strings.Contains(f.Showname, "Malformed"):
				r.Malformed = true
			case f.Name == "_ws.malformed":
				r.Malformed = true
			default:
				walk(f.Fields)
			}
		}
	}
	walk(pr.Fields)
}

func readTsharkAVP(f pdmlField, base int) tsharkAVP {
	var a tsharkAVP
	if m := tsharkAVPRE.FindStringSubmatch(f.Showname); m != nil {
		a.Name = m[1]
		a.Type, _ = strconv.Atoi(m[2])
		a.Length, _ = strconv.Atoi(m[3])
	}
	if m := tsharkVendorRE.FindStringSubmatch(f.Showname); m != nil {
		a.Vendor, _ = strconv.Atoi(m[1])
	}
	a.Offset = f.Pos - base
	for _, c := range f.Fields {
		switch {
		case c.Name == "" && strings.HasPrefix(c.Show, "VSA: "):
			var s tsharkAVP
			if m := tsharkVSARE.FindStringSubmatch(c.Show); m != nil {
				s.Name = m[1]
				s.Type, _ = strconv.Atoi(m[2])
				s.Length, _ = strconv.Atoi(m[3])
			}
			s.Offset = c.Pos - base
			for _, cc := range c.Fields {
				if cc.Name != "radius.avp.vendor_type" && cc.Name != "radius.avp.vendor_len" && !strings.HasSuffix(cc.Name, ".tag") && s.Field == "" {
					s.Field, s.Value = cc.Name, cc.Show
				}
			}
			a.Subs = append(a.Subs, s)
		case strings.HasPrefix(c.Name, "radius.avp."), c.Name == "_ws.expert", c.Name == "", strings.HasSuffix(c.Name, ".tag"):
		default:
			if a.Field == "" {
				a.Field, a.Value = c.Name, c.Show
			}
		}
	}
	return a
}

// tsharkNames are attributes Wireshark 4.0 names differently from the
// FreeRADIUS dictionaries this package follows.
var tsharkNames = map[string]string{
	"Multi-Link-Flag": "Operator-Name", // 126: an Ascend pre-standard number; RFC 5580 took it
}

// compareTsharkValue compares one attribute value with tshark's typed field
// where both print the same thing; it returns whether it compared.
func compareTsharkValue(a Attribute, f Field, ts tsharkAVP) (bool, error) {
	if ts.Field == "" || f.Problem != "" || f.Secret || ts.Name == "Unknown-Attribute" {
		return false, nil
	}
	if d, _ := a.def(); d.format != formatDefault {
		return false, nil // tshark shows these as plain integers or text
	}
	switch a.DataType() {
	case DataText:
		if strings.ContainsAny(f.Value, "\\") || !isPrintableASCII(a.untagged()) {
			return false, nil
		}
		if f.Value != ts.Value {
			return true, fmt.Errorf("text %q, tshark %q", f.Value, ts.Value)
		}
	case DataInteger, DataEnum:
		n, ok := a.Uint32()
		if !ok {
			return false, nil
		}
		if strconv.FormatUint(uint64(n), 10) != ts.Value {
			return true, fmt.Errorf("integer %d, tshark %q", n, ts.Value)
		}
	case DataIPv4Addr, DataIPv6Addr:
		if f.Value != ts.Value {
			return true, fmt.Errorf("address %s, tshark %q", f.Value, ts.Value)
		}
	case DataString, DataConcat:
		// tshark shows octets as colon-separated hex, unless its
		// dictionary calls the attribute text.
		if !tsharkHexRE.MatchString(ts.Value) {
			return false, nil
		}
		if strings.ReplaceAll(ts.Value, ":", "") != hex.EncodeToString(a.Value) {
			return true, fmt.Errorf("octets %x, tshark %q", a.Value, ts.Value)
		}
	default:
		return false, nil
	}
	return true, nil
}

func isPrintableASCII(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// Every RADIUS packet tshark decodes, this package decodes to the same
// code, identifier and length, the same attributes at the same offsets
// with the same types, lengths, vendors and names, and the same values
// where both print them alike; tshark flags a packet malformed exactly
// when this package returns an error.
//
// One known divergence: when a vendor sub-attribute claims more octets
// than its Vendor-Specific attribute holds, Wireshark 4.0 reads on past the
// attribute's end, while this package keeps the attribute whole and goes on
// at the next attribute (RFC 2865 §5: the length octet bounds the
// attribute). Such packets are compared up to that attribute. Likewise
// packets whose EAP-Message made tshark's EAP dissector throw: tshark lists
// no attribute after it.
func TestTsharkOracle(t *testing.T) {
	tshark := needTshark(t)
	dir := needCorpus(t)
	var packets, avps, values, subs, diverged, stopped int
	for _, capture := range corpusRADIUSFiles {
		payloads := readCapture(t, filepath.Join(dir, capture))
		for _, ts := range runTshark(t, tshark, filepath.Join(dir, capture)) {
			where := fmt.Sprintf("%s frame %d", capture, ts.Frame)
			p, err := Parse(payloads[ts.Frame])
			packets++
			if int(p.Code) != ts.Code || int(p.Identifier) != ts.ID || int(p.Length) != ts.Length {
				t.Errorf("%s: %d/%d/%d, tshark code %d id %d length %d", where, p.Code, p.Identifier, p.Length, ts.Code, ts.ID, ts.Length)
			}
			i, div := 0, false
			for k, ta := range ts.AVPs {
				if ta.Length < 2 || ta.Offset+ta.Length > len(p.Raw) {
					continue // tshark's entry for the attribute we stopped at
				}
				if i >= len(p.Attributes) {
					t.Errorf("%s: tshark has attribute %s at %d, we stopped after %d attributes", where, ta.Name, ta.Offset, i)
					break
				}
				a := p.Attributes[i]
				if int(a.Type) != ta.Type || a.Offset != ta.Offset && !a.IsVendorSub() {
					t.Errorf("%s: attribute %d type %d at %d, tshark %d at %d", where, i, a.Type, a.Offset, ta.Type, ta.Offset)
					break
				}
				if a.Type == AttrVendorSpecific && a.VendorType == 0 {
					// Kept whole: tshark's sub-attributes must not fit, and
					// where they overrun, tshark reads on from a wrong place.
					sum, bad := 0, false
					for _, s := range ta.Subs {
						sum += s.Length
						bad = bad || s.Type == 0 || s.Length < 2
					}
					if sum == ta.Length-6 && len(ta.Subs) > 0 && !bad {
						t.Errorf("%s: VSA at %d kept whole, tshark splits it into %d sub-attributes", where, a.Offset, len(ta.Subs))
					}
					if sum > ta.Length-6 || bad || len(ta.Subs) == 0 || k+1 < len(ts.AVPs) && ts.AVPs[k+1].Offset != ta.Offset+ta.Length {
						div = true
					}
					if 2+len(a.Value) != ta.Length || int(a.Vendor) != ta.Vendor {
						t.Errorf("%s: whole VSA vendor %d length %d, tshark vendor %d length %d", where, a.Vendor, 2+len(a.Value), ta.Vendor, ta.Length)
					}
					i++
					avps++
					if div {
						break
					}
					continue
				}
				if a.Type == AttrVendorSpecific {
					if int(a.Vendor) != ta.Vendor || len(ta.Subs) == 0 {
						t.Errorf("%s: VSA vendor %d, tshark vendor %d with %d sub-attributes", where, a.Vendor, ta.Vendor, len(ta.Subs))
						break
					}
					for _, s := range ta.Subs {
						if i >= len(p.Attributes) {
							t.Errorf("%s: tshark has more sub-attributes", where)
							break
						}
						a := p.Attributes[i]
						f := FormatAttribute(a, false)
						if !a.IsVendorSub() || a.Offset != s.Offset || int(a.VendorType) != s.Type || 2+len(a.Value) != s.Length {
							t.Errorf("%s: sub-attribute %s type %d at %d length %d; tshark %s %d at %d length %d",
								where, f.Name, a.VendorType, a.Offset, 2+len(a.Value), s.Name, s.Type, s.Offset, s.Length)
						}
						if _, known := lookup(a.Vendor, a.VendorType); known && f.Name != s.Name {
							t.Errorf("%s: sub-attribute %d of vendor %d named %s, tshark %s", where, a.VendorType, a.Vendor, f.Name, s.Name)
						}
						if ok, err := compareTsharkValue(a, f, s); err != nil {
							t.Errorf("%s: %s: %v", where, f.Name, err)
						} else if ok {
							values++
						}
						subs++
						i++
					}
					continue
				}
				f := FormatAttribute(a, false)
				if 2+len(a.Value) != ta.Length {
					t.Errorf("%s: %s at %d length %d; tshark length %d", where, f.Name, a.Offset, 2+len(a.Value), ta.Length)
				}
				name := ta.Name
				if n, ok := tsharkNames[name]; ok {
					name = n
				}
				if _, known := lookup(0, a.Type); known && name != "Unknown-Attribute" && f.Name != name {
					t.Errorf("%s: attribute %d named %s, tshark %s", where, a.Type, f.Name, ta.Name)
				}
				if ok, err := compareTsharkValue(a, f, ta); err != nil {
					t.Errorf("%s: %s: %v", where, f.Name, err)
				} else if ok {
					values++
				}
				avps++
				i++
			}
			if (div || ts.Stopped) && !corpusMalformed[capture] {
				t.Errorf("%s: tshark and this package part ways in a capture that is not crafted", where)
			}
			if div {
				diverged++
				continue
			}
			if ts.Stopped {
				stopped++
				continue
			}
			switch {
			case ts.Length > len(payloads[ts.Frame]):
				// RFC 2865 §3: shorter than its length field, discard.
				// tshark decodes what there is without complaint.
				if dissect.KindOf(err) != dissect.Truncated {
					t.Errorf("%s: length field %d, %d bytes, error %v", where, ts.Length, len(payloads[ts.Frame]), err)
				}
			case (err != nil) != ts.Malformed:
				t.Errorf("%s: error %v, tshark malformed %v", where, err, ts.Malformed)
			}
			if err == nil && i != len(p.Attributes) {
				t.Errorf("%s: %d attributes, tshark %d", where, len(p.Attributes), i)
			}
		}
	}
	if packets < 320 || avps < 2000 || subs < 1000 || values < 1800 || diverged+stopped > 80 {
		t.Errorf("compared %d packets (%d diverged, %d stopped), %d attributes, %d vendor sub-attributes, %d values",
			packets, diverged, stopped, avps, subs, values)
	}
	t.Logf("tshark agrees on %d packets (%d up to a Wireshark VSA overrun, %d up to an EAP exception), %d attributes, %d vendor sub-attributes, %d values",
		packets, diverged, stopped, avps, subs, values)
}
