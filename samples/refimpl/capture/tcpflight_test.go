package capture

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/sessionscope/sscope/dissect/packet"
)

func TestFlightsJoinWritesOfOneSide(t *testing.T) {
	w := NewWriter(NewClock(epoch))
	fl := w.DialTCP(Endpoint{client, 40000}, Endpoint{server, 443}).Flights()
	io.WriteString(fl.Client(), "hello ")
	io.WriteString(fl.Client(), "there")
	fl.Client().Write(nil)
	io.WriteString(fl.Server(), "hi")
	if got := fl.Flush(); got != 6 {
		t.Errorf("Flush sent the server's flight from frame %d, want 6", got)
	}
	if got := fl.Flush(); got != w.NextFrame() {
		t.Errorf("empty Flush returned %d, want the next frame %d", got, w.NextFrame())
	}
	io.WriteString(fl.Client(), "bye")
	fl.Close(false)
	var out bytes.Buffer
	if err := w.Close(&out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range decodeFile(t, out.Bytes())[3:] {
		dir := "c"
		if f.SrcPort == 443 {
			dir = "s"
		}
		flags := ""
		if f.TCP.Flags&packet.TCPFlagPSH != 0 {
			flags = "P"
		}
		if f.TCP.Flags&packet.TCPFlagFIN != 0 {
			flags = "F"
		}
		got = append(got, fmt.Sprintf("%s%s%q", dir, flags, f.Payload))
	}
	want := `[cP"hello there" s"" sP"hi" c"" cP"bye" s"" sF"" cF"" s""]`
	if fmt.Sprint(got) != want {
		t.Fatalf("segments %v\nwant     %v", got, want)
	}
}
