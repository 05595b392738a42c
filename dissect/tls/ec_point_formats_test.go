package tls

import (
	"bytes"
	"testing"
)

// TestECPointFormatsRoundTrip checks that ec_point_formats is read into
// ClientHello.ECPointFormats, written back from the field, and that a
// malformed list is tolerated as before.
func TestECPointFormatsRoundTrip(t *testing.T) {
	ch := &ClientHello{
		Version:            VersionTLS12,
		CipherSuites:       []uint16{0xc02f},
		CompressionMethods: []uint8{0},
		SupportedGroups:    []uint16{23},
		ECPointFormats:     []uint8{0},
	}
	body := ch.Marshal(false)
	want := []byte{0x00, 0x0b, 0x00, 0x02, 0x01, 0x00} // type 11, length 2, list length 1, uncompressed
	if !bytes.Contains(body, want) {
		t.Fatalf("ClientHello %x lacks ec_point_formats %x", body, want)
	}
	var back ClientHello
	if err := back.Unmarshal(body, false); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.ECPointFormats, []uint8{0}) {
		t.Fatalf("ECPointFormats = %v", back.ECPointFormats)
	}
	if ext, ok := FindExtension(back.Extensions, ExtECPointFormats); !ok || !bytes.Equal(ext.Data, []byte{1, 0}) {
		t.Fatalf("extension = %+v, %v", ext, ok)
	}

	// A malformed list (length byte larger than the data) is no error.
	bad := &ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0xc02f}, CompressionMethods: []uint8{0},
		Extensions: []Extension{{Type: ExtECPointFormats, Data: []byte{5, 0}}}}
	var got ClientHello
	if err := got.Unmarshal(bad.Marshal(false), false); err != nil {
		t.Fatalf("malformed ec_point_formats: %v", err)
	}
	if got.ECPointFormats != nil {
		t.Fatalf("malformed ec_point_formats read as %v", got.ECPointFormats)
	}
	// Absent: nil, and nothing written from the fields.
	plain := &ClientHello{Version: VersionTLS12, CipherSuites: []uint16{0x002f}, CompressionMethods: []uint8{0}}
	if err := got.Unmarshal(plain.Marshal(false), false); err != nil || got.ECPointFormats != nil {
		t.Fatalf("absent ec_point_formats: %v %v", got.ECPointFormats, err)
	}
}
