package radius

import (
	"bufio"
	"bytes"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestCodeNames(t *testing.T) {
	for c, want := range map[Code]string{
		1: "Access-Request", 2: "Access-Accept", 3: "Access-Reject", 4: "Accounting-Request", 5: "Accounting-Response",
		11: "Access-Challenge", 12: "Status-Server", 13: "Status-Client", 40: "Disconnect-Request", 41: "Disconnect-ACK",
		42: "Disconnect-NAK", 43: "CoA-Request", 44: "CoA-ACK", 45: "CoA-NAK", 52: "Protocol-Error",
		0: "Code-0", 14: "Code-14", 200: "Code-200", 255: "Code-255",
	} {
		if got := c.String(); got != want {
			t.Errorf("Code(%d) = %q, want %q", c, got, want)
		}
		if c.Known() == strings.HasPrefix(want, "Code-") {
			t.Errorf("Code(%d).Known() = %v", c, c.Known())
		}
	}
}

func TestCodeResponses(t *testing.T) {
	want := map[Code][]Code{
		CodeAccessRequest:     {CodeAccessAccept, CodeAccessReject, CodeAccessChallenge, CodeProtocolError},
		CodeAccountingRequest: {CodeAccountingResponse, CodeProtocolError},
		CodeStatusServer:      {CodeAccessAccept, CodeAccountingResponse, CodeProtocolError},
		CodeDisconnectRequest: {CodeDisconnectACK, CodeDisconnectNAK, CodeProtocolError},
		CodeCoARequest:        {CodeCoAACK, CodeCoANAK, CodeProtocolError},
	}
	for c := 0; c < 256; c++ {
		code := Code(c)
		w, isReq := want[code]
		if code.IsRequest() != isReq {
			t.Errorf("%v.IsRequest() = %v", code, !isReq)
		}
		if got := code.Responses(); !slices.Equal(got, w) {
			t.Errorf("%v.Responses() = %v, want %v", code, got, w)
		}
		for _, r := range w {
			if !r.IsResponse() || !r.ResponseTo(code) {
				t.Errorf("%v does not answer %v", r, code)
			}
		}
	}
	if CodeAccessAccept.ResponseTo(CodeAccountingRequest) || CodeCoAACK.ResponseTo(CodeDisconnectRequest) ||
		CodeAccessRequest.ResponseTo(CodeAccessRequest) || CodeAccessChallenge.ResponseTo(CodeStatusServer) {
		t.Error("a response matched the wrong request")
	}
}

// Wireshark's names for the codes both know agree, apart from one typo in
// Wireshark 4.0.
func TestCodeNamesTshark(t *testing.T) {
	tshark := needTshark(t)
	out, err := exec.Command(tshark, "-G", "values").Output()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 4 || f[0] != "V" || f[1] != "radius.code" {
			continue
		}
		n, err := strconv.Atoi(f[2])
		if err != nil || n > 255 {
			continue
		}
		c := Code(n)
		if !c.Known() {
			continue // vendor codes Wireshark adds (ALU 129-132)
		}
		if c.String() != f[3] && !(n == 24 && f[3] == "Query_Response") {
			t.Errorf("code %d: %q, Wireshark %q", n, c, f[3])
		}
		seen++
	}
	if seen < 30 {
		t.Errorf("only %d codes compared", seen)
	}
}
