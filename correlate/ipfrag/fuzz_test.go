package ipfrag_test

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"

	"github.com/sessionscope/sscope/correlate/ipfrag"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/packet"
)

// virtual holds the datagram of each selector: every fragment the fuzzer
// makes is a slice of one unless it asks to corrupt it. Offsets reach
// 65592 and lengths 4095.
var virtual = func() (v [4][]byte) {
	for k := range v {
		v[k] = make([]byte, 8200*8+4096)
		for p := range v[k] {
			v[k][p] = byte(p*31 + k*7 + p>>8)
		}
	}
	return v
}()

// FuzzReassemble reads the input as a sequence of 5-byte fragment
// descriptions: flags (bits 0-1 datagram, 2 more fragments, 3 corrupt
// data, 4 IPv6, 5 advance capture time by 20 s, 6 call Expire), the
// offset in 8-byte units (modulo 8200), the length (modulo 4096).
// Reassembled datagrams must hold the bytes of their virtual datagram;
// stats must stay within the caps. Seeds: the fragment layouts of the real
// capture in testdata and of 3- and 4-fragment splits in several orders.
func FuzzReassemble(f *testing.F) {
	seed := func(ops ...[3]int) []byte {
		var b []byte
		for _, op := range ops {
			b = append(b, byte(op[0]))
			b = binary.BigEndian.AppendUint16(b, uint16(op[1]/8))
			b = binary.BigEndian.AppendUint16(b, uint16(op[2]))
		}
		return b
	}
	const mf = 4
	// The capture's IPv4 layout (1480, 1480, 775) and IPv6 (1448, 1448, 839).
	f.Add(seed([3]int{mf, 0, 1480}, [3]int{mf, 1480, 1480}, [3]int{0, 2960, 775}))
	f.Add(seed([3]int{16 | mf, 0, 1448}, [3]int{16 | mf, 1448, 1448}, [3]int{16, 2896, 839}))
	f.Add(seed([3]int{0, 2960, 775}, [3]int{mf, 0, 1480}, [3]int{mf, 1480, 1480}))
	f.Add(seed([3]int{mf, 1024, 1024}, [3]int{0, 3072, 900}, [3]int{mf, 0, 1024}, [3]int{mf, 2048, 1024}))
	f.Add(seed([3]int{1 | mf, 0, 800}, [3]int{2 | mf, 0, 800}, [3]int{1 | 8, 800, 800}, [3]int{2, 800, 800}))
	f.Add(seed([3]int{mf, 0, 1000}, [3]int{32 | mf, 1000, 1000}, [3]int{64, 2000, 8}))
	f.Add(seed([3]int{mf, 0, 1000}, [3]int{mf, 500, 1000}, [3]int{8 | mf, 0, 1000}, [3]int{0, 1500, 10}))
	f.Add(seed([3]int{mf, 65528, 16}))

	f.Fuzz(func(t *testing.T, in []byte) {
		const maxBytes = 200000
		r := ipfrag.New(ipfrag.Options{Timeout: 30 * time.Second, MaxDatagrams: 3, MaxBytes: maxBytes})
		corrupt := [4]bool{}
		now := time.Unix(0, 0)
		for n := uint64(1); len(in) >= 5; n++ {
			// Offsets reach a little past the 65535-byte limit.
			flags, off, length := int(in[0]), int(binary.BigEndian.Uint16(in[1:3]))%8200*8, int(binary.BigEndian.Uint16(in[3:5]))%4096
			in = in[5:]
			k := flags & 3
			if flags&32 != 0 {
				now = now.Add(20 * time.Second)
			}
			if flags&64 != 0 {
				r.Expire(now)
			}
			data := virtual[k][off : off+length]
			if flags&8 != 0 && length > 0 {
				data = bytes.Clone(data)
				data[length/2] ^= 0xff
				corrupt[k] = true
			}
			fr := &packet.Frame{IPVersion: 4, Src: mustAddr("10.0.0.1"), Dst: mustAddr("10.0.0.2"), Proto: 17,
				IPID: uint32(k), Fragment: true, FragOffset: uint32(off), MoreFragments: flags&4 != 0, IPPayload: data}
			if flags&16 != 0 {
				fr.IPVersion, fr.Src, fr.Dst = 6, mustAddr("2001:db8::1"), mustAddr("2001:db8::2")
			}
			// Offset 0 without more fragments is no fragment: Add must
			// refuse it.
			fr.Fragment = fr.MoreFragments || off != 0
			payload, frames, done, err := r.Add(fr, now, n)
			if err != nil {
				if _, ok := err.(*dissect.Error); !ok {
					t.Fatalf("error %T: %v", err, err)
				}
			}
			if done {
				if len(frames) == 0 || frames[len(frames)-1] != n {
					t.Fatalf("frames %v at op %d", frames, n)
				}
				if !corrupt[k] && !bytes.Equal(payload, virtual[k][:len(payload)]) {
					t.Fatalf("datagram %d: reassembled bytes differ from the datagram", k)
				}
			}
			s := r.Stats()
			if s.Pending > 3 || s.Buffered > maxBytes || s.Buffered < 0 || s.Pending == 0 && s.Buffered != 0 {
				t.Fatalf("stats %+v", s)
			}
		}
	})
}
