package lab

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

// The EAP-FAST lab capture's keys, checked against its bytes with code
// written here from the RFCs (nothing of the analyzer): the PAC file
// eapol_test wrote must give the master secret of the PAC-based tunnel, and
// the key log the peers' OpenSSL wrote must decrypt every phase 2 record of
// both tunnels to the plaintext the peers logged.

// fastTruthFile mirrors the EAP-FAST fields of NAME.truth.json.
type fastTruthFile struct {
	Capture    string `json:"capture"`
	Handshakes []struct {
		FirstFrame             int     `json:"first_frame"`
		Kind                   string  `json:"kind"`
		Resumption             *string `json:"resumption"`
		ClientOfferedPACOpaque bool    `json:"client_offered_pac_opaque"`
		CipherSuite            string  `json:"cipher_suite"`
		Anonymous              bool    `json:"anonymous"`
		ClientRandom           string  `json:"client_random"`
		ServerRandom           string  `json:"server_random"`
	} `json:"handshakes"`
	Authentications []struct {
		FirstFrame       int      `json:"first_frame"`
		FinalFrame       int      `json:"final_frame"`
		FinalCode        string   `json:"final_code"`
		HandshakeKind    string   `json:"handshake_kind"`
		CipherSuite      string   `json:"cipher_suite"`
		Anonymous        bool     `json:"anonymous"`
		Provisioning     *string  `json:"provisioning"`
		Tunnel           string   `json:"tunnel"`
		PACInClientHello *string  `json:"pac_in_client_hello"`
		PACUsed          *string  `json:"pac_used"`
		PACsProvisioned  []string `json:"pacs_provisioned"`
		InnerMethods     []string `json:"inner_methods"`
		Cryptobinding    *string  `json:"cryptobinding"`
		Handshakes       []int    `json:"handshakes"`
		Phase2Records    []struct {
			Frame      int    `json:"frame"`
			Direction  string `json:"direction"`
			Plaintext  string `json:"plaintext"`
			PeersAgree bool   `json:"peers_agree"`
		} `json:"phase2_records"`
	} `json:"authentications"`
	PACFile struct {
		File    string `json:"file"`
		Entries []struct {
			PACType            string `json:"pac_type"`
			ProvisionedIn      *int   `json:"provisioned_in_authentication"`
			OpaqueInHelloFrame *int   `json:"pac_opaque_in_client_hello_frame"`
			AcceptedIn         *int   `json:"pac_key_accepted_by_server_in_authentication"`
		} `json:"entries"`
	} `json:"pac_file"`
	Keylog struct {
		File  string `json:"file"`
		Lines int    `json:"lines"`
	} `json:"keylog"`
}

// fastCaptures are the EAP-FAST lab captures.
var fastCaptures = []string{"F-prov"}

func readFASTTruth(t *testing.T, name string) fastTruthFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("captures", name+".truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var truth fastTruthFile
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return truth
}

// pacFileEntry is one PAC of a wpa_supplicant PAC file (text format:
// "START", KEY=VALUE lines, "END").
type pacFileEntry struct {
	Type           string
	Key, Opaque    []byte
	AID, IID, Info string
}

func readPACFile(t *testing.T, path string) []pacFileEntry {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []pacFileEntry
	var cur *pacFileEntry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "START":
			cur = &pacFileEntry{}
		case line == "END" && cur != nil:
			out = append(out, *cur)
			cur = nil
		case cur != nil:
			k, v, _ := strings.Cut(line, "=")
			switch k {
			case "PAC-Type":
				cur.Type = v
			case "PAC-Key":
				cur.Key = mustHex(t, v)
			case "PAC-Opaque":
				cur.Opaque = mustHex(t, v)
			case "A-ID":
				cur.AID = v
			case "I-ID-txt":
				cur.IID = v
			case "A-ID-Info-txt":
				cur.Info = v
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readKeylog maps client random (hex) to master secret from an NSS key log.
func readKeylog(t *testing.T, path string) map[string][]byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		f := strings.Fields(line)
		if len(f) != 3 || f[0] != "CLIENT_RANDOM" {
			t.Fatalf("key log line %q", line)
		}
		out[strings.ToLower(f[1])] = mustHex(t, f[2])
	}
	return out
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("hex %q: %v", s, err)
	}
	return b
}

// tprf is the EAP-FAST T-PRF of RFC 4851 section 5.5 (HMAC-SHA1).
func tprf(key []byte, label string, seed []byte, n int) []byte {
	s := append(append([]byte(label), 0), seed...)
	var out, prev []byte
	for i := 1; len(out) < n; i++ {
		m := hmac.New(sha1.New, key)
		m.Write(prev)
		m.Write(s)
		m.Write([]byte{byte(n >> 8), byte(n), byte(i)})
		prev = m.Sum(nil)
		out = append(out, prev...)
	}
	return out[:n]
}

// prf12 is the TLS 1.2 PRF with SHA-256 (RFC 5246 section 5).
func prf12(secret []byte, label string, seed []byte, n int) []byte {
	ls := append([]byte(label), seed...)
	var out []byte
	a := ls
	for len(out) < n {
		m := hmac.New(sha256.New, secret)
		m.Write(a)
		a = m.Sum(nil)
		m = hmac.New(sha256.New, secret)
		m.Write(a)
		m.Write(ls)
		out = append(out, m.Sum(nil)...)
	}
	return out[:n]
}

// hello is what these tests need of a ClientHello or ServerHello.
type hello struct {
	typ        uint8
	random     []byte
	extensions map[uint16][]byte
}

// parseHello reads the hello at the start of the first TLS record in b.
func parseHello(b []byte) (hello, bool) {
	s := cryptobyte.String(b)
	var ctype uint8
	var version uint16
	var record, body, sid cryptobyte.String
	h := hello{extensions: map[uint16][]byte{}}
	if !s.ReadUint8(&ctype) || ctype != 22 || !s.ReadUint16(&version) ||
		!s.ReadUint16LengthPrefixed(&record) || !record.ReadUint8(&h.typ) ||
		!record.ReadUint24LengthPrefixed(&body) || !body.Skip(2) || !body.ReadBytes(&h.random, 32) ||
		!body.ReadUint8LengthPrefixed(&sid) {
		return h, false
	}
	if h.typ == 1 {
		var suites, comp cryptobyte.String
		if !body.ReadUint16LengthPrefixed(&suites) || !body.ReadUint8LengthPrefixed(&comp) {
			return h, false
		}
	} else if !body.Skip(3) {
		return h, false
	}
	if body.Empty() {
		return h, true
	}
	var exts cryptobyte.String
	if !body.ReadUint16LengthPrefixed(&exts) {
		return h, false
	}
	for !exts.Empty() {
		var typ uint16
		var data cryptobyte.String
		if !exts.ReadUint16(&typ) || !exts.ReadUint16LengthPrefixed(&data) {
			return h, false
		}
		h.extensions[typ] = data
	}
	return h, true
}

// serverHelloAfter returns the ServerHello in the server's first answer after
// frame n (1-based).
func serverHelloAfter(t *testing.T, frames []frame, n int) hello {
	t.Helper()
	for _, next := range frames[n:] {
		if !next.toServer && len(next.payload) > 0 {
			h, ok := parseHello(tlsData(next))
			if !ok || h.typ != 2 {
				t.Fatalf("no ServerHello in the server's answer to frame %d", n)
			}
			return h
		}
	}
	t.Fatalf("no answer to frame %d", n)
	return hello{}
}

func TestFASTPACFileGivesMasterSecret(t *testing.T) {
	for _, name := range fastCaptures {
		t.Run(name, func(t *testing.T) {
			truth := readFASTTruth(t, name)
			pacs := readPACFile(t, filepath.Join("captures", truth.PACFile.File))
			keys := readKeylog(t, filepath.Join("captures", truth.Keylog.File))
			frames := readFrames(t, filepath.Join("captures", truth.Capture))
			if len(pacs) != 1 || pacs[0].Type != "1" || len(pacs[0].Key) != 32 || pacs[0].IID != "lab-user" {
				t.Fatalf("PAC file: want one Tunnel PAC (type 1) with a 32-byte PAC-Key for lab-user, have %+v", pacs)
			}
			pac := pacs[0]
			if len(truth.PACFile.Entries) != 1 || truth.PACFile.Entries[0].OpaqueInHelloFrame == nil {
				t.Fatalf("truth pac_file: %+v", truth.PACFile)
			}
			if len(keys) != truth.Keylog.Lines || len(keys) != len(truth.Handshakes) {
				t.Errorf("key log: %d lines, truth says %d for %d handshakes", len(keys), truth.Keylog.Lines, len(truth.Handshakes))
			}
			pacHandshakes := 0
			for i, h := range truth.Handshakes {
				if h.FirstFrame < 1 || h.FirstFrame > len(frames) {
					t.Fatalf("handshake %d: first_frame %d outside 1..%d", i, h.FirstFrame, len(frames))
				}
				ch, ok := parseHello(tlsData(frames[h.FirstFrame-1]))
				if !ok || ch.typ != 1 || hex.EncodeToString(ch.random) != h.ClientRandom {
					t.Fatalf("handshake %d: frame %d: no ClientHello with random %s", i, h.FirstFrame, h.ClientRandom)
				}
				cr, sr := ch.random, serverHelloAfter(t, frames, h.FirstFrame).random
				ticket, offered := ch.extensions[35]
				if offered != h.ClientOfferedPACOpaque {
					t.Errorf("handshake %d: SessionTicket extension present %v, truth offered PAC-Opaque %v", i, offered, h.ClientOfferedPACOpaque)
				}
				if hex.EncodeToString(sr) != h.ServerRandom {
					t.Errorf("handshake %d: server random %x, truth %s", i, sr, h.ServerRandom)
				}
				ms, ok := keys[h.ClientRandom]
				if !ok {
					t.Errorf("handshake %d: no key log line for client random %s", i, h.ClientRandom)
					continue
				}
				if h.Resumption == nil || *h.Resumption != "pac" {
					if offered {
						t.Errorf("handshake %d: SessionTicket extension without PAC resumption", i)
					}
					continue
				}
				pacHandshakes++
				// RFC 4851 section 4.2.2: the extension carries the PAC-Opaque TLV.
				wantExt := append([]byte{0, 2, byte(len(pac.Opaque) >> 8), byte(len(pac.Opaque))}, pac.Opaque...)
				if !bytes.Equal(ticket, wantExt) || h.FirstFrame != *truth.PACFile.Entries[0].OpaqueInHelloFrame {
					t.Errorf("handshake %d: SessionTicket extension %x does not carry the PAC file's PAC-Opaque", i, ticket)
				}
				// RFC 4851 section 5.1.
				want := tprf(pac.Key, "PAC to master secret label hash", append(append([]byte{}, sr...), cr...), 48)
				if !bytes.Equal(ms, want) {
					t.Errorf("handshake %d: key log master secret %x, from the PAC file %x", i, ms, want)
				}
			}
			if pacHandshakes != 1 {
				t.Errorf("%d PAC-based handshakes, want 1", pacHandshakes)
			}
		})
	}
}

// cbcKeyLen is the AES key length of the TLS 1.2 *_WITH_AES_*_CBC_SHA
// suites the EAP-FAST peers may pick.
var cbcKeyLen = map[string]int{
	"TLS_DH_anon_WITH_AES_128_CBC_SHA": 16,
	"TLS_DHE_RSA_WITH_AES_128_CBC_SHA": 16,
	"TLS_RSA_WITH_AES_128_CBC_SHA":     16,
	"TLS_DH_anon_WITH_AES_256_CBC_SHA": 32,
	"TLS_DHE_RSA_WITH_AES_256_CBC_SHA": 32,
	"TLS_RSA_WITH_AES_256_CBC_SHA":     32,
}

// recordDecrypter opens the TLS 1.2 AES-CBC/HMAC-SHA1 records of one
// direction: explicit IV, MAC-then-encrypt (RFC 5246 section 6.2.3.2) or,
// when the encrypt_then_mac extension was negotiated, encrypt-then-MAC
// (RFC 7366).
type recordDecrypter struct {
	block          cipher.Block
	macKey         []byte
	encryptThenMAC bool
	seq            uint64
}

func (d *recordDecrypter) mac(ctype uint8, version uint16, data []byte) []byte {
	var hdr [13]byte
	binary.BigEndian.PutUint64(hdr[:8], d.seq)
	hdr[8] = ctype
	binary.BigEndian.PutUint16(hdr[9:], version)
	binary.BigEndian.PutUint16(hdr[11:], uint16(len(data)))
	m := hmac.New(sha1.New, d.macKey)
	m.Write(hdr[:])
	m.Write(data)
	return m.Sum(nil)
}

func (d *recordDecrypter) open(ctype uint8, version uint16, fragment []byte) ([]byte, bool) {
	bs := d.block.BlockSize()
	if d.encryptThenMAC {
		if len(fragment) < sha1.Size {
			return nil, false
		}
		body, mac := fragment[:len(fragment)-sha1.Size], fragment[len(fragment)-sha1.Size:]
		if !hmac.Equal(d.mac(ctype, version, body), mac) {
			return nil, false
		}
		fragment = body
	}
	if len(fragment) < 2*bs || len(fragment)%bs != 0 {
		return nil, false
	}
	plain := make([]byte, len(fragment)-bs)
	cipher.NewCBCDecrypter(d.block, fragment[:bs]).CryptBlocks(plain, fragment[bs:])
	pad := int(plain[len(plain)-1])
	if pad+1 > len(plain) {
		return nil, false
	}
	for _, p := range plain[len(plain)-1-pad:] {
		if int(p) != pad {
			return nil, false
		}
	}
	plain = plain[:len(plain)-1-pad]
	if !d.encryptThenMAC {
		if len(plain) < sha1.Size {
			return nil, false
		}
		data, mac := plain[:len(plain)-sha1.Size], plain[len(plain)-sha1.Size:]
		if !hmac.Equal(d.mac(ctype, version, data), mac) {
			return nil, false
		}
		plain = data
	}
	d.seq++
	return plain, true
}

// eapTLSFragment returns the flags and TLS data of an EAP-TLS-style packet
// (EAP-FAST, PEAP) inside a RADIUS frame.
func eapTLSFragment(fr frame) (flags uint8, data []byte, ok bool) {
	if fr.radius == nil {
		return 0, nil, false
	}
	var eap []byte
	for _, a := range fr.radius.Attributes {
		if a.Type == 79 {
			eap = append(eap, a.Value...)
		}
	}
	s := cryptobyte.String(eap)
	var code, id, typ uint8
	var length uint16
	if !s.ReadUint8(&code) || !s.ReadUint8(&id) || !s.ReadUint16(&length) || !s.ReadUint8(&typ) ||
		(typ != 25 && typ != 43) || !s.ReadUint8(&flags) {
		return 0, nil, false
	}
	if flags&0x80 != 0 && !s.Skip(4) {
		return 0, nil, false
	}
	return flags, s, true
}

func TestFASTKeylogDecryptsPhase2(t *testing.T) {
	for _, name := range fastCaptures {
		t.Run(name, func(t *testing.T) {
			truth := readFASTTruth(t, name)
			keys := readKeylog(t, filepath.Join("captures", truth.Keylog.File))
			frames := readFrames(t, filepath.Join("captures", truth.Capture))
			for ai, a := range truth.Authentications {
				if len(a.Handshakes) != 1 {
					t.Fatalf("authentication %d: %d handshakes", ai, len(a.Handshakes))
				}
				h := truth.Handshakes[a.Handshakes[0]]
				keyLen, ok := cbcKeyLen[h.CipherSuite]
				if !ok {
					t.Fatalf("authentication %d: no decrypter for %s", ai, h.CipherSuite)
				}
				sr, cr := mustHex(t, h.ServerRandom), mustHex(t, h.ClientRandom)
				_, etm := serverHelloAfter(t, frames, h.FirstFrame).extensions[22] // encrypt_then_mac
				kb := prf12(keys[h.ClientRandom], "key expansion", append(append([]byte{}, sr...), cr...), 2*sha1.Size+2*keyLen)
				dec := map[bool]*recordDecrypter{} // toServer -> decrypter
				for i, toServer := range []bool{true, false} {
					block, err := aes.NewCipher(kb[2*sha1.Size+i*keyLen : 2*sha1.Size+(i+1)*keyLen])
					if err != nil {
						t.Fatal(err)
					}
					dec[toServer] = &recordDecrypter{block: block, macKey: kb[i*sha1.Size : (i+1)*sha1.Size], encryptThenMAC: etm}
				}
				encrypted := map[bool]bool{}
				pending := map[bool][]byte{}
				got := map[int]string{} // frame -> application data plaintext (hex)
				finished := 0
				if a.FirstFrame < 1 || a.FinalFrame > len(frames) || a.FirstFrame > a.FinalFrame {
					t.Fatalf("authentication %d: frames %d..%d outside 1..%d", ai, a.FirstFrame, a.FinalFrame, len(frames))
				}
				for n := a.FirstFrame; n <= a.FinalFrame; n++ {
					fr := frames[n-1]
					flags, data, ok := eapTLSFragment(fr)
					if !ok {
						continue
					}
					if flags&0x20 != 0 { // EAP-FAST Start: A-ID TLV, no TLS
						continue
					}
					pending[fr.toServer] = append(pending[fr.toServer], data...)
					if flags&0x40 != 0 { // more fragments follow
						continue
					}
					s := cryptobyte.String(pending[fr.toServer])
					pending[fr.toServer] = nil
					for !s.Empty() {
						var ctype uint8
						var version uint16
						var frag cryptobyte.String
						if !s.ReadUint8(&ctype) || !s.ReadUint16(&version) || !s.ReadUint16LengthPrefixed(&frag) {
							t.Fatalf("frame %d: truncated TLS record", n)
						}
						if !encrypted[fr.toServer] {
							encrypted[fr.toServer] = ctype == 20
							continue
						}
						plain, ok := dec[fr.toServer].open(ctype, version, frag)
						if !ok {
							t.Fatalf("frame %d: record (type %d) does not decrypt with the key log's master secret", n, ctype)
						}
						switch ctype {
						case 22:
							if len(plain) != 16 || plain[0] != 20 {
								t.Errorf("frame %d: first encrypted handshake message is not a Finished", n)
							}
							finished++
						case 23:
							got[n] += hex.EncodeToString(plain)
						}
					}
				}
				if finished != 2 {
					t.Errorf("authentication %d: %d Finished messages decrypted, want 2", ai, finished)
				}
				if len(a.Phase2Records) == 0 || len(got) != len(a.Phase2Records) {
					t.Errorf("authentication %d: %d frames with application data, truth has %d phase 2 records", ai, len(got), len(a.Phase2Records))
				}
				for _, r := range a.Phase2Records {
					if r.Frame < a.FirstFrame || r.Frame > a.FinalFrame {
						t.Fatalf("authentication %d: phase 2 record in frame %d outside %d..%d", ai, r.Frame, a.FirstFrame, a.FinalFrame)
					}
					if !r.PeersAgree {
						t.Errorf("authentication %d frame %d: the peers' logs disagree on the plaintext", ai, r.Frame)
					}
					if (r.Direction == "c2s") != frames[r.Frame-1].toServer {
						t.Errorf("authentication %d frame %d: direction %s", ai, r.Frame, r.Direction)
					}
					if got[r.Frame] != r.Plaintext {
						t.Errorf("authentication %d frame %d: decrypted %s, the peers logged %s", ai, r.Frame, got[r.Frame], r.Plaintext)
					}
				}
			}
		})
	}
}
