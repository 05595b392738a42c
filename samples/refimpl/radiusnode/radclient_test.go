package radiusnode

import (
	"bytes"
	"context"
	"encoding/hex"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

// radclient runs FreeRADIUS' radclient against addr with the attribute
// list on its standard input and returns what it printed. It skips the
// test when radclient is not installed (Debian package freeradius-utils).
func radclient(t *testing.T, addr, attrs string) string {
	t.Helper()
	bin, err := exec.LookPath("radclient")
	if err != nil {
		t.Skip("radclient not installed (Debian package freeradius-utils): FreeRADIUS cross-check skipped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-x", "-r", "1", "-t", "2", addr, "auth", string(testSecret))
	cmd.Stdin = strings.NewReader(attrs)
	// radclient exits 1 when the answer is not an Access-Accept; what it
	// printed is what counts.
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(string(out), "Received ") {
		t.Fatalf("radclient: %v\n%s", err, out)
	}
	return string(out)
}

// TestRadclientVerifiesChallenge: FreeRADIUS' client accepts our
// Access-Challenge (Response Authenticator and Message-Authenticator) and
// joins the EAP-Message attributes it carries.
func TestRadclientVerifiesChallenge(t *testing.T) {
	tb := newTestbed(t, "radclient challenge")
	tb.server.Time = nil
	srv, err := tb.server.ListenUDP("127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP on loopback: %v", err)
	}
	defer srv.Close()
	identity := (&eap.Packet{Code: eap.CodeResponse, Identifier: 4, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal()
	out := radclient(t, srv.Addr().String(),
		`User-Name = "alice", EAP-Message = 0x`+hex.EncodeToString(identity)+`, Message-Authenticator = 0x00`)
	if !strings.Contains(out, "Received Access-Challenge") {
		t.Fatalf("radclient did not accept the Access-Challenge:\n%s", out)
	}
	if !strings.Contains(out, `State = 0x`+hex.EncodeToString([]byte("conv-0"))) {
		t.Errorf("State missing from radclient's reading:\n%s", out)
	}
	// radclient joins the EAP-Message attributes and prints the value cut
	// to its buffer: a prefix longer than one attribute proves the join.
	want := hex.EncodeToString((&eap.Packet{Code: eap.CodeRequest, Identifier: 5, Type: eap.TypeExpanded, VendorID: 9, VendorType: 1, Data: tb.eap.payload}).Marshal())
	_, answer, _ := strings.Cut(out, "Received Access-Challenge")
	_, got, _ := strings.Cut(answer, "EAP-Message = 0x")
	got, _, _ = strings.Cut(got, "\n")
	if len(got) <= 2*radius.MaxAttributeValueLen || !strings.HasPrefix(want, got) {
		t.Errorf("radclient's EAP-Message %s is not the joined request %s", got, want)
	}
}

// TestRadclientRevealsMPPEKeys: FreeRADIUS' client reveals our hidden
// MS-MPPE keys to the values the server hid.
func TestRadclientRevealsMPPEKeys(t *testing.T) {
	recv := bytes.Repeat([]byte{0x11, 0x22}, 16)
	send := bytes.Repeat([]byte{0x33, 0x44}, 16)
	s := &Server{
		Secret: testSecret,
		Rand:   detrand.New("radclient keys"),
		Handler: HandlerFunc(func(r *Request) *Response {
			resp := &Response{Code: radius.CodeAccessAccept, MPPERecvKey: recv, MPPESendKey: send}
			resp.Attributes = radius.EAPMessageAttributes((&eap.Packet{Code: eap.CodeSuccess, Identifier: 4}).Marshal())
			return resp
		}),
	}
	srv, err := s.ListenUDP("127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP on loopback: %v", err)
	}
	defer srv.Close()
	out := radclient(t, srv.Addr().String(), `User-Name = "alice", EAP-Message = 0x0204000a01616c696365, Message-Authenticator = 0x00`)
	if !strings.Contains(out, "Received Access-Accept") {
		t.Fatalf("radclient did not accept the Access-Accept:\n%s", out)
	}
	for name, key := range map[string][]byte{"MS-MPPE-Recv-Key": recv, "MS-MPPE-Send-Key": send} {
		if !strings.Contains(out, name+" = 0x"+hex.EncodeToString(key)) {
			t.Errorf("radclient's %s differs from %x:\n%s", name, key, out)
		}
	}
}
