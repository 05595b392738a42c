package eap

import (
	"bytes"
	"encoding/hex"
	"testing"

	"github.com/sessionscope/sscope/dissect"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Hand-checked packets laid out per RFC 3748 §4 and §5.
func TestDecodeHandChecked(t *testing.T) {
	for _, tc := range []struct {
		name, hex  string
		code       Code
		id         uint8
		length     uint16
		typ        Type
		vendor, vt uint32
		data       string
		method     string
	}{
		{"success", "03070004", CodeSuccess, 7, 4, 0, 0, 0, "", ""},
		{"failure", "04ff0004", CodeFailure, 255, 4, 0, 0, 0, "", ""},
		{"identity request, empty", "0101000501", CodeRequest, 1, 5, TypeIdentity, 0, 0, "", "Identity"},
		{"identity response", "020100090175736572", CodeResponse, 1, 9, TypeIdentity, 0, 0, "75736572", "Identity"},
		{"legacy nak asking for PEAP", "020200060319", CodeResponse, 2, 6, TypeNak, 0, 0, "19", "Nak"},
		{"expanded: Cisco vendor 9 type 3", "0103000cfe00000900000003", CodeRequest, 3, 12, TypeExpanded, 9, 3, "", "Expanded(vendor=9,type=3)"},
		{"expanded nak", "02040014fe00000000000003fe00000000000019", CodeResponse, 4, 20, TypeExpanded, 0, 3, "fe00000000000019", "Nak"},
		{"PEAP start", "0105000619" + "21", CodeRequest, 5, 6, TypePEAP, 0, 0, "21", "PEAP"},
		{"EAP-FAST", "010600062b21", CodeRequest, 6, 6, TypeFAST, 0, 0, "21", "EAP-FAST"},
		{"TEAP", "010600063721", CodeRequest, 6, 6, TypeTEAP, 0, 0, "21", "TEAP"},
		{"MSCHAPv2 success ack", "020800061a03", CodeResponse, 8, 6, TypeMSCHAPv2, 0, 0, "03", "EAP-MSCHAPv2"},
		{"GTC", "0109000606" + "41", CodeRequest, 9, 6, TypeGTC, 0, 0, "41", "EAP-GTC"},
		{"trailing padding ignored", "030700040000000000", CodeSuccess, 7, 4, 0, 0, 0, "", ""},
		{"ERP initiate", "050100050 1", CodeInitiate, 1, 5, 1, 0, 0, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			raw := mustHex(t, stripSpaces(tc.hex))
			var p Packet
			if err := p.DecodeFromBytes(raw); err != nil {
				t.Fatal(err)
			}
			if p.Code != tc.code || p.Identifier != tc.id || p.Length != tc.length || p.Type != tc.typ ||
				p.VendorID != tc.vendor || p.VendorType != tc.vt || hex.EncodeToString(p.Data) != tc.data || p.MethodName() != tc.method {
				t.Errorf("got %+v method %q", p, p.MethodName())
			}
			if !bytes.Equal(p.Raw, raw[:tc.length]) {
				t.Errorf("Raw %x", p.Raw)
			}
			if got := p.Marshal(); !bytes.Equal(got, raw[:tc.length]) {
				t.Errorf("Marshal %x", got)
			}
		})
	}
}

func stripSpaces(s string) string { return string(bytes.ReplaceAll([]byte(s), []byte(" "), nil)) }

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, hex string
		kind      dissect.Kind
		code      Code
	}{
		{"empty", "", dissect.Truncated, 0},
		{"three bytes", "010100", dissect.Truncated, 0},
		{"length beyond the bytes", "0401000700", dissect.Truncated, CodeFailure},
		{"length below the header", "01010003", dissect.Malformed, CodeRequest},
		{"request without a type", "01010004", dissect.Malformed, CodeRequest},
		{"expanded header cut", "0101000afe0000090000", dissect.Truncated, CodeRequest},
		{"unknown code", "25000004", dissect.Unsupported, 37},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p Packet
			err := p.DecodeFromBytes(mustHex(t, tc.hex))
			if dissect.KindOf(err) != tc.kind || p.Code != tc.code {
				t.Errorf("err %v (kind %v), code %d", err, dissect.KindOf(err), p.Code)
			}
		})
	}
}

func TestDecodeResetsReusedPacket(t *testing.T) {
	var p Packet
	if err := p.DecodeFromBytes(mustHex(t, "0103000cfe00000900000003")); err != nil {
		t.Fatal(err)
	}
	if err := p.DecodeFromBytes(mustHex(t, "03070004")); err != nil {
		t.Fatal(err)
	}
	if p.VendorID != 0 || p.Type != 0 || p.Data != nil {
		t.Errorf("stale fields: %+v", p)
	}
}

func TestDecodeNoAllocs(t *testing.T) {
	raw := mustHex(t, "0201004c0d800000004216030100") // EAP-TLS response head (truncated data is fine for the header)
	raw[3] = byte(len(raw))
	var p Packet
	allocs := testing.AllocsPerRun(1000, func() {
		if err := p.DecodeFromBytes(raw); err != nil {
			t.Fatal(err)
		}
		if _, err := ParseTLSFragment(&p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations per DecodeFromBytes+ParseTLSFragment", allocs)
	}
}

func TestMarshalLimits(t *testing.T) {
	p := Packet{Code: CodeRequest, Type: TypeTLS, Data: make([]byte, 65531)}
	if p.Marshal() != nil {
		t.Error("oversized packet marshalled")
	}
	p.Data = p.Data[:65530]
	if b := p.Marshal(); len(b) != 65535 || b[2] != 0xff || b[3] != 0xff {
		t.Errorf("largest packet: %d bytes", len(b))
	}
	q := Packet{Code: CodeRequest, Type: TypeExpanded, VendorID: 1 << 24}
	if q.Marshal() != nil {
		t.Error("25-bit vendor marshalled")
	}
}

func TestTypeNames(t *testing.T) {
	for typ, want := range map[Type]string{
		TypeIdentity: "Identity", TypeNotification: "Notification", TypeNak: "Legacy Nak",
		TypeMD5: "MD5-Challenge", TypeGTC: "GTC", TypeTLS: "EAP-TLS", TypeTTLS: "EAP-TTLS", TypePEAP: "PEAP",
		TypeMSCHAPv2: "EAP-MSCHAPv2", TypeFAST: "EAP-FAST", TypeTEAP: "TEAP", TypeExpanded: "Expanded Type",
		TypeSIM: "EAP-SIM", TypeAKA: "EAP-AKA", TypeAKAPrime: "EAP-AKA'", TypePWD: "EAP-pwd", TypeLEAP: "LEAP",
		200: "Type-200", 0: "Type-0",
	} {
		if got := typ.String(); got != want {
			t.Errorf("%d: %q, want %q", typ, got, want)
		}
	}
	for c, want := range map[Code]string{1: "Request", 2: "Response", 3: "Success", 4: "Failure", 5: "Initiate", 6: "Finish", 9: "Code-9"} {
		if got := c.String(); got != want {
			t.Errorf("code %d: %q", c, got)
		}
	}
	var tls []Type
	for i := 0; i < 256; i++ {
		if IsTLSBased(Type(i)) {
			tls = append(tls, Type(i))
		}
	}
	if len(tls) != 5 || tls[0] != 13 || tls[1] != 21 || tls[2] != 25 || tls[3] != 43 || tls[4] != 55 {
		t.Errorf("TLS-based types %v", tls)
	}
	for typ, want := range map[Type]string{TypeMD5: "EAP-MD5", TypeGTC: "EAP-GTC", TypeMSCHAPv2: "EAP-MSCHAPv2", TypeAKAPrime: "EAP-AKA'"} {
		p := Packet{Code: CodeResponse, Type: typ}
		if got := p.MethodName(); got != want {
			t.Errorf("MethodName(%d) %q, want %q", typ, got, want)
		}
	}
}
