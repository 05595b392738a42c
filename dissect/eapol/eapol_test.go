package eapol

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/sessionscope/sscope/dissect"
)

func corpusFile(t testing.TB, name string) string {
	t.Helper()
	for _, d := range []string{"../../../shared/corpus", "/work/shared/corpus"} {
		p := filepath.Join(d, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skip("shared capture corpus not found")
	return ""
}

// eapolFrames returns the EAPOL bytes (after the Ethernet header) of every
// 802.1X frame of a capture, with tshark-style frame numbers.
func eapolFrames(t testing.TB, path string) (nums []int, bodies [][]byte) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; ; n++ {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, r.LinkType(), gopacket.Default)
		if eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet); eth != nil && eth.EthernetType == layers.EthernetTypeEAPOL {
			nums = append(nums, n)
			bodies = append(bodies, eth.Payload)
		}
	}
	return nums, bodies
}

// TestEAPOn1 decodes tcpdump's eapon1.pcap 802.1X frames. Expected values
// are tshark's (eapol.version/type/len, eapol.keydes.*).
func TestEAPOn1(t *testing.T) {
	nums, bodies := eapolFrames(t, corpusFile(t, "tcpdump/eapon1.pcap"))
	want := map[int]struct {
		typ    Type
		length uint16
	}{14: {TypeEAPPacket, 5}, 17: {TypeStart, 0}, 19: {TypeEAPPacket, 45}, 22: {TypeEAPPacket, 80},
		24: {TypeEAPPacket, 4}, 25: {TypeKey, 57}, 26: {TypeKey, 44}}
	keys := map[int]struct {
		keyLen  uint16
		replay  uint64
		index   uint8
		keyData int
	}{25: {13, 70782488215707, 0x02, 13}, 26: {13, 70782488215708, 0x83, 0},
		38: {13, 70782490312861, 0x02, 13}, 39: {13, 70782490312862, 0x83, 0}}
	counts := map[Type]int{}
	var fr Frame
	for i, b := range bodies {
		if err := fr.DecodeFromBytes(b); err != nil {
			t.Fatalf("frame %d: %v", nums[i], err)
		}
		counts[fr.Type]++
		if fr.Version != 1 {
			t.Errorf("frame %d: version %d", nums[i], fr.Version)
		}
		if w, ok := want[nums[i]]; ok && (fr.Type != w.typ || fr.Length != w.length) {
			t.Errorf("frame %d: %s len %d, tshark %s len %d", nums[i], fr.Type, fr.Length, w.typ, w.length)
		}
		if got := fr.Marshal(); !bytes.Equal(got, b[:4+int(fr.Length)]) {
			t.Errorf("frame %d: Marshal %x", nums[i], got)
		}
		if fr.Type != TypeKey {
			continue
		}
		var k Key
		if err := k.DecodeFromBytes(fr.Body); err != nil {
			t.Fatalf("frame %d: %v", nums[i], err)
		}
		if k.DescriptorType != DescriptorRC4 || k.HandshakeMessage() != "" {
			t.Errorf("frame %d: %s %q", nums[i], k.DescriptorType, k.HandshakeMessage())
		}
		if w, ok := keys[nums[i]]; ok && (k.KeyLength != w.keyLen || k.ReplayCounter != w.replay || k.KeyIndex != w.index || len(k.KeyData) != w.keyData) {
			t.Errorf("frame %d: key len %d replay %d index %#x data %d, tshark %+v", nums[i], k.KeyLength, k.ReplayCounter, k.KeyIndex, len(k.KeyData), w)
		}
		if got := k.Marshal(); !bytes.Equal(got, fr.Body) {
			t.Errorf("frame %d: key Marshal %x, captured %x", nums[i], got, fr.Body)
		}
	}
	// tshark: 4 Starts, 8 Keys and the EAP packets of four authentications.
	if counts[TypeStart] != 4 || counts[TypeKey] != 8 || counts[TypeEAPPacket] != 29 {
		t.Errorf("counts %v", counts)
	}
}

// TestTruncatedCapture: tcpdump's eap_extract_read2_asan.pcap cuts a frame
// at 20 bytes of capture. What is left is an EAPOL header with a bogus
// version (0x9b) and an empty body, which decodes as such.
func TestTruncatedCapture(t *testing.T) {
	_, bodies := eapolFrames(t, corpusFile(t, "tcpdump/eap_extract_read2_asan.pcap"))
	if len(bodies) != 1 {
		t.Fatalf("%d EAPOL frames, want 1", len(bodies))
	}
	var fr Frame
	if err := fr.DecodeFromBytes(bodies[0]); err != nil || fr.Version != 0x9b || fr.Type != TypeEAPPacket || fr.Length != 0 || fr.Body != nil {
		t.Errorf("%x: %+v %v", bodies[0], fr, err)
	}
}

// fourWay builds the four messages of an RSN 4-way handshake and a group
// key handshake with gopacket's serializer (an independent encoder), flags
// as IEEE 802.11-2020 §12.7.6 sets them.
func fourWay(t testing.TB) [][]byte {
	t.Helper()
	nonce := bytes.Repeat([]byte{0xa5}, 32)
	mic := bytes.Repeat([]byte{0x5a}, 16)
	kde := bytes.Repeat([]byte{0xdd}, 22)
	msgs := []*layers.EAPOLKey{
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: layers.EAPOLKeyTypePairwise, KeyACK: true, KeyLength: 16, ReplayCounter: 1, Nonce: nonce},
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: layers.EAPOLKeyTypePairwise, KeyMIC: true, ReplayCounter: 1, Nonce: nonce, MIC: mic, KeyDataLength: 22, EncryptedKeyData: kde},
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: layers.EAPOLKeyTypePairwise, Install: true, KeyACK: true, KeyMIC: true, Secure: true, HasEncryptedKeyData: true, KeyLength: 16, ReplayCounter: 2, Nonce: nonce, MIC: mic, KeyDataLength: 22, EncryptedKeyData: kde},
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: layers.EAPOLKeyTypePairwise, KeyMIC: true, Secure: true, ReplayCounter: 2, MIC: mic},
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: 0, KeyACK: true, KeyMIC: true, Secure: true, HasEncryptedKeyData: true, ReplayCounter: 3, MIC: mic, KeyDataLength: 22, EncryptedKeyData: kde},
		{KeyDescriptorType: layers.EAPOLKeyDescriptorTypeDot11, KeyDescriptorVersion: 2, KeyType: 0, KeyMIC: true, Secure: true, ReplayCounter: 3, MIC: mic},
	}
	var out [][]byte
	for _, m := range msgs {
		buf := gopacket.NewSerializeBuffer()
		body := gopacket.NewSerializeBuffer()
		if err := m.SerializeTo(body, gopacket.SerializeOptions{}); err != nil {
			t.Fatal(err)
		}
		hdr := &layers.EAPOL{Version: 2, Type: layers.EAPOLTypeKey, Length: uint16(len(body.Bytes()))}
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{}, hdr, gopacket.Payload(body.Bytes())); err != nil {
			t.Fatal(err)
		}
		out = append(out, buf.Bytes())
	}
	return out
}

func TestFourWayHandshakeNames(t *testing.T) {
	want := []string{"4-way 1/4", "4-way 2/4", "4-way 3/4", "4-way 4/4", "group 1/2", "group 2/2"}
	for i, raw := range fourWay(t) {
		var fr Frame
		if err := fr.DecodeFromBytes(raw); err != nil || fr.Type != TypeKey || fr.Version != 2 {
			t.Fatalf("message %d: %+v %v", i, fr, err)
		}
		var k Key
		if err := k.DecodeFromBytes(fr.Body); err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if got := k.HandshakeMessage(); got != want[i] {
			t.Errorf("message %d: %q (%s), want %q", i, got, k.Info, want[i])
		}
		if k.DescriptorType != DescriptorRSN || k.Info.Version() != 2 || len(k.MIC) != 16 {
			t.Errorf("message %d: %+v", i, k)
		}
		if got := k.Marshal(); !bytes.Equal(got, fr.Body) {
			t.Errorf("message %d: Marshal differs from gopacket's\n%x\n%x", i, got, fr.Body)
		}
	}
}

func TestKeyInfoString(t *testing.T) {
	k := KeyInfo(0x13ca) // 3/4 of an RSN handshake with AES: v2|Pairwise|Install|Ack|MIC|Secure|EncryptedKeyData
	if got := k.String(); got != "v2|Pairwise|Install|Ack|MIC|Secure|EncryptedKeyData" {
		t.Errorf("%q", got)
	}
}

func TestFrameErrorsAndNames(t *testing.T) {
	var fr Frame
	for _, tc := range []struct {
		b    []byte
		kind dissect.Kind
	}{
		{nil, dissect.Truncated},
		{[]byte{2, 0, 0}, dissect.Truncated},
		{[]byte{2, 0, 0, 5, 1, 2}, dissect.Truncated},
	} {
		if err := fr.DecodeFromBytes(tc.b); dissect.KindOf(err) != tc.kind {
			t.Errorf("%x: %v", tc.b, err)
		}
	}
	// Ethernet padding after the body is ignored.
	if err := fr.DecodeFromBytes([]byte{3, 1, 0, 0, 0, 0, 0, 0}); err != nil || fr.Type != TypeStart || fr.Body != nil || fr.Version != 3 {
		t.Errorf("start with padding: %+v %v", fr, err)
	}
	for typ, name := range map[Type]string{0: "EAP-Packet", 1: "Start", 2: "Logoff", 3: "Key", 4: "Encapsulated-ASF-Alert", 5: "MKA", 42: "Type-42"} {
		if typ.String() != name {
			t.Errorf("%d: %s", typ, typ.String())
		}
	}
	var k Key
	for _, tc := range []struct {
		b    []byte
		kind dissect.Kind
	}{
		{nil, dissect.Truncated},
		{[]byte{9}, dissect.Unsupported},
		{[]byte{2, 0, 0}, dissect.Truncated},
		{[]byte{1, 0}, dissect.Truncated},
		{append([]byte{2}, make([]byte, rsnFixedLen+16)...), dissect.Truncated},
		{append([]byte{2}, make([]byte, rsnFixedLen+16+2+2)...), dissect.Malformed}, // 2 bytes after an empty Key Data
	} {
		if err := k.DecodeFromBytes(tc.b); dissect.KindOf(err) != tc.kind {
			t.Errorf("key %x: %v", tc.b, err)
		}
	}
}

func TestDecodeNoAllocs(t *testing.T) {
	raws := fourWay(t)
	var fr Frame
	var k Key
	allocs := testing.AllocsPerRun(1000, func() {
		for _, raw := range raws {
			if err := fr.DecodeFromBytes(raw); err != nil {
				t.Fatal(err)
			}
			if err := k.DecodeFromBytes(fr.Body); err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%.1f allocations", allocs)
	}
}

func BenchmarkDecodeFrameAndKey(b *testing.B) {
	raws := fourWay(b)
	var fr Frame
	var k Key
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := fr.DecodeFromBytes(raws[i%len(raws)]); err != nil {
			b.Fatal(err)
		}
		if err := k.DecodeFromBytes(fr.Body); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzEAPOL: any bytes through the frame and key decoders; what decodes
// cleanly marshals back to the same bytes.
func FuzzEAPOL(f *testing.F) {
	for _, raw := range fourWay(f) {
		f.Add(raw)
	}
	if _, err := os.Stat("/work/shared/corpus"); err == nil {
		_, bodies := eapolFrames(f, corpusFile(f, "tcpdump/eapon1.pcap"))
		for _, b := range bodies {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fr Frame
		if err := fr.DecodeFromBytes(b); err != nil {
			if dissect.KindOf(err) == 0 {
				t.Fatalf("untyped %v", err)
			}
			return
		}
		if got := fr.Marshal(); !bytes.Equal(got, b[:4+int(fr.Length)]) {
			t.Fatalf("frame Marshal %x", got)
		}
		var k Key
		if err := k.DecodeFromBytes(fr.Body); err != nil {
			if dissect.KindOf(err) == 0 {
				t.Fatalf("untyped %v", err)
			}
			return
		}
		_ = k.HandshakeMessage()
		_ = k.Info.String()
		if got := k.Marshal(); !bytes.Equal(got, fr.Body) {
			t.Fatalf("key Marshal %x, body %x", got, fr.Body)
		}
	})
}
