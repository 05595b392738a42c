package radiusnode

import (
	"bytes"
	"errors"
	"net"
	"testing"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

func TestAuthenticateAcceptCarriesKeys(t *testing.T) {
	tb := newTestbed(t, "accept")
	sup := &echoPeer{identity: "alice"}
	res, err := tb.nas.Authenticate(sup)
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != radius.CodeAccessAccept || sup.final != eap.CodeSuccess {
		t.Fatalf("code %s, supplicant saw %s", res.Code, sup.final)
	}
	if !bytes.Equal(res.RecvKey, tb.eap.msk[:32]) || !bytes.Equal(res.SendKey, tb.eap.msk[32:]) {
		t.Errorf("MPPE keys %x / %x, want the MSK halves", res.RecvKey, res.SendKey)
	}
	if !res.HasSessionTimeout || res.SessionTimeout != 3600 {
		t.Errorf("Session-Timeout %d (%v), want 3600", res.SessionTimeout, res.HasSessionTimeout)
	}
	if res.Requests != 2 || len(tb.wire) != 4 {
		t.Fatalf("%d requests, %d datagrams; want 2 and 4", res.Requests, len(tb.wire))
	}
	// The second request echoes the challenge's State.
	if got, want := tb.eap.states[1], tb.eap.states[0]; want != nil || string(got) != "conv-0" {
		t.Errorf("states seen by the EAP server: %q", tb.eap.states)
	}
}

func TestAccessRequestAttributes(t *testing.T) {
	tb := newTestbed(t, "attributes")
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); err != nil {
		t.Fatal(err)
	}
	first := parseRADIUS(t, tb.wire[0].pkt)
	second := parseRADIUS(t, tb.wire[2].pkt)
	for i, p := range []*radius.Packet{first, second} {
		if p.Code != radius.CodeAccessRequest {
			t.Fatalf("request %d is %s", i, p.Code)
		}
		ok, err := radius.VerifyMessageAuthenticator(p.Raw, testSecret, nil)
		if err != nil || !ok {
			t.Errorf("request %d: Message-Authenticator does not verify (%v)", i, err)
		}
		text := func(a uint8) string { s, _ := p.Text(a); return s }
		num := func(a uint8) uint32 { v, _ := p.Uint32(a); return v }
		if text(radius.AttrUserName) != "alice" || text(radius.AttrNASIdentifier) != "switch-01" ||
			text(radius.AttrCallingStationID) != "02-00-5E-10-00-02" || text(radius.AttrCalledStationID) != "02-00-5E-10-00-01" {
			t.Errorf("request %d: text attributes %v", i, p.Fields(true))
		}
		if num(radius.AttrNASPortType) != 15 || num(radius.AttrServiceType) != 2 || num(radius.AttrFramedMTU) != 1400 || num(radius.AttrNASPort) != 50101 {
			t.Errorf("request %d: integer attributes %v", i, p.Fields(true))
		}
		if ip, _ := p.Addr(radius.AttrNASIPAddress); ip.String() != "192.0.2.10" {
			t.Errorf("request %d: NAS-IP-Address %v", i, ip)
		}
		if id, ok := p.AuditSessionID(); !ok || id != "0A0000010000000C0012AB34" {
			t.Errorf("request %d: audit-session-id %q", i, id)
		}
	}
	if first.Has(radius.AttrState) {
		t.Error("first request carries State")
	}
	if st, _ := second.State(); string(st) != "conv-0" {
		t.Errorf("second request State %q", st)
	}
	if first.Identifier+1 != second.Identifier {
		t.Errorf("identifiers %d then %d", first.Identifier, second.Identifier)
	}
	// The echoed 600-byte EAP response is split 253 + 253 + rest.
	var sizes []int
	for _, v := range second.GetAll(radius.AttrEAPMessage) {
		sizes = append(sizes, len(v))
	}
	if len(sizes) != 3 || sizes[0] != 253 || sizes[1] != 253 {
		t.Errorf("EAP-Message sizes %v", sizes)
	}
	msg, _ := second.EAPMessage()
	e, err := eap.Parse(msg)
	if err != nil || !bytes.Equal(e.Data, tb.eap.payload) {
		t.Errorf("joined EAP-Message does not decode to the response: %v", err)
	}
}

func TestAnswersVerifyWithDissect(t *testing.T) {
	tb := newTestbed(t, "answers")
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < len(tb.wire); i += 2 {
		req := parseRADIUS(t, tb.wire[i].pkt)
		ans := parseRADIUS(t, tb.wire[i+1].pkt)
		if !radius.VerifyResponseAuthenticator(ans.Raw, req.Authenticator, testSecret) {
			t.Errorf("answer %d: Response Authenticator wrong", i/2)
		}
		if ok, err := radius.VerifyMessageAuthenticator(ans.Raw, testSecret, &req.Authenticator); !ok || err != nil {
			t.Errorf("answer %d: Message-Authenticator wrong (%v)", i/2, err)
		}
		if ans.Identifier != req.Identifier {
			t.Errorf("answer %d: identifier %d for request %d", i/2, ans.Identifier, req.Identifier)
		}
	}
	accept := parseRADIUS(t, tb.wire[3].pkt)
	req := parseRADIUS(t, tb.wire[2].pkt)
	recv := accept.Vendor(radius.VendorMicrosoft, radius.MSMPPERecvKey)
	send := accept.Vendor(radius.VendorMicrosoft, radius.MSMPPESendKey)
	if len(recv) != 1 || len(send) != 1 {
		t.Fatalf("Access-Accept has %d Recv and %d Send keys", len(recv), len(send))
	}
	if recv[0][0]&0x80 == 0 || send[0][0]&0x80 == 0 || bytes.Equal(recv[0][:2], send[0][:2]) {
		t.Errorf("salts %x and %x: want the high bit set and distinct", recv[0][:2], send[0][:2])
	}
	key, err := radius.DecryptMPPEKey(recv[0], testSecret, req.Authenticator)
	if err != nil || !bytes.Equal(key, tb.eap.msk[:32]) {
		t.Errorf("MS-MPPE-Recv-Key reveals %x (%v)", key, err)
	}
}

func TestRejectedAuthentication(t *testing.T) {
	tb := newTestbed(t, "reject")
	sup := &echoPeer{identity: "mallory", wrong: true}
	res, err := tb.nas.Authenticate(sup)
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != radius.CodeAccessReject || sup.final != eap.CodeFailure || res.RecvKey != nil {
		t.Errorf("code %s, supplicant saw %s, keys %x", res.Code, sup.final, res.RecvKey)
	}
	rej := parseRADIUS(t, tb.wire[3].pkt)
	if rej.Vendor(radius.VendorMicrosoft, radius.MSMPPERecvKey) != nil || rej.Has(radius.AttrSessionTimeout) {
		t.Error("Access-Reject carries keys or Session-Timeout")
	}
}

func TestReadAnswerRejectsTampering(t *testing.T) {
	tb := newTestbed(t, "tamper")
	req, err := tb.nas.AccessRequest("alice", (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := tb.server.Handle("192.0.2.10:1", req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.nas.ReadAnswer(ans, req); err != nil {
		t.Fatalf("genuine answer refused: %v", err)
	}
	for name, mutate := range map[string]func(b []byte){
		"authenticator": func(b []byte) { b[5] ^= 1 },
		"attribute":     func(b []byte) { b[len(b)-20] ^= 1 },
		"identifier":    func(b []byte) { b[1]++ },
	} {
		bad := append([]byte(nil), ans...)
		mutate(bad)
		if _, err := tb.nas.ReadAnswer(bad, req); !errors.Is(err, ErrBadAnswer) {
			t.Errorf("%s tampered: err %v, want ErrBadAnswer", name, err)
		}
	}
	other := &NAS{Secret: []byte("other"), Rand: tb.nas.Rand}
	if _, err := other.ReadAnswer(ans, req); !errors.Is(err, ErrBadAnswer) {
		t.Errorf("wrong secret: err %v", err)
	}
}

func TestSplitMSK(t *testing.T) {
	msk := make([]byte, 64)
	for i := range msk {
		msk[i] = byte(i)
	}
	r, s := SplitMSK(msk)
	if len(r) != 32 || len(s) != 32 || r[0] != 0 || s[0] != 32 {
		t.Errorf("64-byte MSK split %x / %x", r, s)
	}
	r, s = SplitMSK(msk[:32])
	if len(r) != 16 || len(s) != 16 || s[0] != 16 {
		t.Errorf("32-byte MSK split %x / %x", r, s)
	}
	if r, s = SplitMSK(nil); r != nil || s != nil {
		t.Error("empty MSK gives keys")
	}
}

func TestStationID(t *testing.T) {
	mac, _ := net.ParseMAC("02:00:5e:10:00:02")
	if got := StationID(mac); got != "02-00-5E-10-00-02" {
		t.Errorf("StationID = %q", got)
	}
}
