package frames

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/packet"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/dissect/tls"
)

// Field is one line of a frame's description: a section heading (Value
// empty, Depth 0) or a named value inside one.
type Field struct {
	Depth int
	Name  string
	Value string
}

// DescribeOptions say how to read a frame's payload.
type DescribeOptions struct {
	// RADIUSPorts are the UDP ports whose payload is read as RADIUS.
	RADIUSPorts []uint16
	// ShowSecrets writes hidden RADIUS attributes instead of <redacted>.
	ShowSecrets bool
}

// maxTLSRecords caps the records listed for one TCP segment.
const maxTLSRecords = 16

// Describe names the headers of a frame: link, VLANs, tunnels, IP, UDP or
// TCP, then the RADIUS attributes (and EAP header) of a RADIUS packet or
// the TLS record headers at the start of a TCP payload. It reads what is
// there; a header that does not decode ends the description with a line
// saying why.
func Describe(f *Frame, o DescribeOptions) []Field {
	var out []Field
	sec := func(name, value string) { out = append(out, Field{Name: name, Value: value}) }
	add := func(name, format string, args ...any) {
		out = append(out, Field{Depth: 1, Name: name, Value: fmt.Sprintf(format, args...)})
	}
	var pf packet.Frame
	err := packet.NewDecoder().Decode(f.Link, f.Data, &pf)

	sec("Frame", fmt.Sprintf("%d", f.Number))
	add("time", "%s", f.Time.UTC().Format("2006-01-02 15:04:05.000000000 UTC"))
	add("length", "%d bytes captured, %d on the wire", len(f.Data), f.Length)
	add("link", "%s", f.Link)
	for _, t := range pf.TunnelList() {
		add("tunnel", "%s", t)
	}
	if pf.HasMAC {
		sec("Ethernet", "")
		add("source", "%s", net.HardwareAddr(pf.SrcMAC[:]))
		if pf.DstMAC != ([6]byte{}) {
			add("destination", "%s", net.HardwareAddr(pf.DstMAC[:]))
		}
		if pf.EtherType != 0 {
			add("type", "0x%04x", pf.EtherType)
		}
	}
	for _, v := range pf.VLANList() {
		add("vlan", "%d", v)
	}
	if pf.IPVersion != 0 {
		sec(fmt.Sprintf("IPv%d", pf.IPVersion), "")
		add("source", "%s", pf.Src)
		add("destination", "%s", pf.Dst)
		add("protocol", "%d", pf.Proto)
		add("ttl", "%d", pf.TTL)
		if pf.IPVersion == 4 || pf.Fragment {
			add("id", "0x%x", pf.IPID)
		}
		if pf.Fragment {
			more := ""
			if pf.MoreFragments {
				more = ", more fragments follow"
			}
			add("fragment", "offset %d%s", pf.FragOffset, more)
		}
	}
	if pf.HasTransport {
		switch pf.Proto {
		case packet.ProtoUDP:
			sec("UDP", "")
			add("ports", "%d → %d", pf.SrcPort, pf.DstPort)
			add("payload", "%d bytes", len(pf.Payload))
		case packet.ProtoTCP:
			sec("TCP", "")
			add("ports", "%d → %d", pf.SrcPort, pf.DstPort)
			add("flags", "%s", tcpFlags(pf.TCP.Flags))
			add("seq", "%d", pf.TCP.Seq)
			if pf.TCP.Flags&packet.TCPFlagACK != 0 {
				add("ack", "%d", pf.TCP.Ack)
			}
			add("window", "%d", pf.TCP.Window)
			add("payload", "%d bytes", len(pf.Payload))
		}
	}
	if pf.Truncated {
		sec("Truncated", "the capture holds fewer bytes than the headers declare")
	}
	if err != nil {
		sec("Not decoded", err.Error())
		return out
	}
	if pf.HasTransport && len(pf.Payload) > 0 && !pf.Fragment {
		switch {
		case pf.Proto == packet.ProtoUDP && (slices.Contains(o.RADIUSPorts, pf.SrcPort) || slices.Contains(o.RADIUSPorts, pf.DstPort)):
			out = append(out, describeRADIUS(pf.Payload, o.ShowSecrets)...)
		case pf.Proto == packet.ProtoTCP:
			out = append(out, describeTLSRecords(pf.Payload, false)...)
		case pf.Proto == packet.ProtoUDP:
			out = append(out, describeTLSRecords(pf.Payload, true)...)
		}
	}
	return out
}

func tcpFlags(fl uint8) string {
	names := []struct {
		bit  uint8
		name string
	}{{packet.TCPFlagSYN, "SYN"}, {packet.TCPFlagACK, "ACK"}, {packet.TCPFlagPSH, "PSH"}, {packet.TCPFlagFIN, "FIN"}, {packet.TCPFlagRST, "RST"}, {packet.TCPFlagURG, "URG"}, {packet.TCPFlagECE, "ECE"}, {packet.TCPFlagCWR, "CWR"}}
	var s []string
	for _, n := range names {
		if fl&n.bit != 0 {
			s = append(s, n.name)
		}
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, " ")
}

func describeRADIUS(b []byte, showSecrets bool) []Field {
	p, err := radius.Parse(b)
	out := []Field{{Name: "RADIUS", Value: fmt.Sprintf("%s, id %d, length %d", p.Code, p.Identifier, p.Length)}}
	for _, fd := range p.Fields(showSecrets) {
		v := fd.Value
		if fd.Tag != 0 {
			v = fmt.Sprintf("tag %d: %s", fd.Tag, v)
		}
		if fd.Problem != "" {
			v += " (" + fd.Problem + ")"
		}
		out = append(out, Field{Depth: 1, Name: fd.Name, Value: v})
	}
	if err != nil {
		out = append(out, Field{Depth: 1, Name: "not decoded", Value: err.Error()})
		return out
	}
	if msg, ok := p.EAPMessage(); ok {
		out = append(out, describeEAP(msg)...)
	}
	return out
}

func describeEAP(b []byte) []Field {
	var e eap.Packet
	err := e.DecodeFromBytes(b)
	head := fmt.Sprintf("%s, id %d, length %d", e.Code, e.Identifier, e.Length)
	if e.Code == eap.CodeRequest || e.Code == eap.CodeResponse {
		head += ", type " + e.Type.String()
	}
	out := []Field{{Name: "EAP", Value: head}}
	if err != nil {
		out = append(out, Field{Depth: 1, Name: "not decoded", Value: err.Error()})
	}
	if err == nil && (e.Code == eap.CodeRequest || e.Code == eap.CodeResponse) && eap.IsTLSBased(e.Type) {
		return append(out, describeEAPTLS(&e)...)
	}
	if len(e.Data) > 0 {
		out = append(out, Field{Depth: 1, Name: "type data", Value: fmt.Sprintf("%d bytes", len(e.Data))})
	}
	return out
}

// describeEAPTLS describes the TLS data of a TLS-based method: its flags
// and, when the fragment holds whole records, their headers.
func describeEAPTLS(e *eap.Packet) []Field {
	fr, err := eap.ParseTLSFragment(e)
	out := []Field{{Depth: 1, Name: "flags", Value: fr.Flags.String()}}
	if e.Type != eap.TypeTLS {
		out = append(out, Field{Depth: 1, Name: "version", Value: fmt.Sprint(fr.Version)})
	}
	if fr.HasLength {
		out = append(out, Field{Depth: 1, Name: "message length", Value: fmt.Sprint(fr.MessageLength)})
	}
	if err != nil {
		return append(out, Field{Depth: 1, Name: "not decoded", Value: err.Error()})
	}
	if fr.IsStart() || len(fr.Data) == 0 {
		return out
	}
	out = append(out, Field{Depth: 1, Name: "tls data", Value: fmt.Sprintf("%d bytes", len(fr.Data))})
	if recs, whole := wholeRecords(fr.Data); whole {
		out = append(out, recs...)
	}
	return out
}

// wholeRecords lists the TLS records of b when b is made of whole records
// only (a fragment in the middle of a message is not).
func wholeRecords(b []byte) ([]Field, bool) {
	var out []Field
	for len(b) > 0 && len(out) < maxTLSRecords {
		rec, n, err := tls.ParseRecord(b, false)
		if err != nil {
			return nil, false
		}
		out = append(out, Field{Name: "TLS record", Value: fmt.Sprintf("%s, %s, length %d", rec.Type, rec.Version, rec.Length)})
		b = b[n:]
	}
	return out, len(b) == 0
}

// describeTLSRecords lists the TLS (DTLS) record headers at the start of
// a payload. Payloads that do not start with a record say nothing: TCP
// segments may start in the middle of one.
func describeTLSRecords(b []byte, dtls bool) []Field {
	var out []Field
	name := "TLS record"
	if dtls {
		name = "DTLS record"
	}
	for i := 0; len(b) > 0 && i < maxTLSRecords; i++ {
		rec, n, err := tls.ParseRecord(b, dtls)
		if err != nil {
			if len(out) > 0 {
				out = append(out, Field{Depth: 1, Name: "then", Value: fmt.Sprintf("%d bytes (a record continued in a later segment)", len(b))})
			} else if size, ok := tls.RecordSize(b, dtls); ok && dissect.KindOf(err) == dissect.Truncated {
				// A whole, valid header whose record goes on in later
				// segments.
				v := tls.Version(uint16(b[1])<<8 | uint16(b[2]))
				out = append(out, Field{Name: name, Value: fmt.Sprintf("%s, %s, length %d (continues in a later segment)", tls.ContentType(b[0]), v, size-headerLen(dtls))})
			}
			return out
		}
		v := fmt.Sprintf("%s, %s, length %d", rec.Type, rec.Version, rec.Length)
		if dtls {
			v += fmt.Sprintf(", epoch %d, seq %d", rec.Epoch, rec.Seq)
		}
		out = append(out, Field{Name: name, Value: v})
		b = b[n:]
	}
	return out
}

func headerLen(dtls bool) int {
	if dtls {
		return tls.DTLSRecordHeaderLen
	}
	return tls.TLSRecordHeaderLen
}
