package capture

import (
	"bytes"
	"testing"
)

// FuzzStreams writes a datagram and a TCP exchange of arbitrary sizes at an
// arbitrary MTU and reads them back: the datagram reassembles to what was
// sent and the TCP segments carry the stream in order within the MSS.
func FuzzStreams(f *testing.F) {
	f.Add(1500, []byte("radius"), []byte("client hello"), []byte("server hello"))
	f.Add(576, payloadOf(4000, 1), payloadOf(3000, 2), payloadOf(20000, 3))
	f.Add(68, payloadOf(100, 4), []byte{}, payloadOf(29, 5))
	f.Fuzz(func(t *testing.T, mtu int, datagram, toServer, toClient []byte) {
		w := NewWriter(NewClock(epoch))
		w.SetMTU(mtu)
		mtu = w.mtu
		w.UDP(Endpoint{client, 1}, Endpoint{server, 2}, datagram)
		conn := w.DialTCP(Endpoint{client, 3}, Endpoint{server, 4})
		dataFrame := w.NextFrame()
		conn.Send(true, toServer)
		conn.Send(false, toClient)
		conn.Close(false)
		var out bytes.Buffer
		if err := w.Close(&out); err != nil {
			if len(datagram) > maxUDPPayload {
				return
			}
			t.Fatal(err)
		}
		frames := decodeFile(t, out.Bytes())
		udp := reassembleUDP(t, frames[:dataFrame-4], mtu)
		if !bytes.Equal(udp[8:], datagram) {
			t.Fatal("datagram changed")
		}
		var got [2][]byte
		for _, f := range frames[dataFrame-1:] {
			if len(f.Payload) > mtu-40 {
				t.Fatalf("segment of %d bytes at MTU %d", len(f.Payload), mtu)
			}
			got[f.SrcPort-3] = append(got[f.SrcPort-3], f.Payload...)
		}
		if !bytes.Equal(got[0], toServer) || !bytes.Equal(got[1], toClient) {
			t.Fatal("streams changed")
		}
	})
}
