package radiusnode

import (
	"bytes"
	"errors"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/radius"
)

func identityRequest(t testing.TB, tb *testbed) []byte {
	t.Helper()
	req, err := tb.nas.AccessRequest("alice", (&eap.Packet{Code: eap.CodeResponse, Identifier: 7, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestServerRequiresMessageAuthenticatorOnEAP(t *testing.T) {
	tb := newTestbed(t, "ma")
	p := radius.Packet{Code: radius.CodeAccessRequest, Identifier: 1}
	p.Attributes = append(p.Attributes, radius.TextAttribute(radius.AttrUserName, "alice"))
	p.Attributes = append(p.Attributes, radius.EAPMessageAttributes((&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("alice")}).Marshal())...)
	noMA, err := p.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tb.server.Handle("a", noMA); !errors.Is(err, ErrMissingMessageAuthenticator) {
		t.Errorf("EAP request without Message-Authenticator: %v", err)
	}
	good := identityRequest(t, tb)
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 1 // NAS-Port-Type value: covered by the HMAC
	if _, err := tb.server.Handle("a", bad); !errors.Is(err, ErrBadMessageAuthenticator) {
		t.Errorf("tampered request: %v", err)
	}
	if tb.eap.calls != 0 {
		t.Errorf("EAP server saw %d requests that should have been dropped", tb.eap.calls)
	}
	if _, err := tb.server.Handle("a", good); err != nil {
		t.Errorf("genuine request: %v", err)
	}
	if _, err := tb.server.Handle("a", good[:10]); !errors.Is(err, ErrMalformed) {
		t.Errorf("short datagram: %v", err)
	}
}

func TestServerDuplicateCache(t *testing.T) {
	tb := newTestbed(t, "dup")
	req := identityRequest(t, tb)
	a1, err := tb.server.Handle("192.0.2.10:50000", req)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := tb.server.Handle("192.0.2.10:50000", req)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a1, a2) || tb.eap.calls != 1 || tb.server.Duplicates() != 1 {
		t.Fatalf("retransmission: same answer %v, EAP calls %d, duplicates %d", bytes.Equal(a1, a2), tb.eap.calls, tb.server.Duplicates())
	}
	// Another source with the same identifier and authenticator is a
	// different request.
	if _, err := tb.server.Handle("192.0.2.11:50000", req); err != nil {
		t.Fatal(err)
	}
	if tb.eap.calls != 2 {
		t.Errorf("request from another source answered from the cache")
	}
	// After the lifetime the request is new again.
	tb.clock.advance(DefaultDuplicateLifetime + time.Second)
	if _, err := tb.server.Handle("192.0.2.10:50000", req); err != nil {
		t.Fatal(err)
	}
	if tb.eap.calls != 3 {
		t.Errorf("expired entry still answered from the cache")
	}
}

func TestMemoryTransportLosses(t *testing.T) {
	tb := newTestbed(t, "loss")
	var requests, answers int
	tb.transport.Lose = func(fromNAS bool, pkt []byte) bool {
		if fromNAS {
			requests++
			return requests == 1 // first transmission of the first request
		}
		answers++
		return answers == 2 // the answer to the second request
	}
	res, err := tb.nas.Authenticate(&echoPeer{identity: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != radius.CodeAccessAccept {
		t.Fatalf("code %s", res.Code)
	}
	// Wire: req1 (lost), req1, chal, req2, accept (lost), req2, accept.
	if len(tb.wire) != 7 {
		t.Fatalf("%d datagrams on the wire, want 7", len(tb.wire))
	}
	if !bytes.Equal(tb.wire[0].pkt, tb.wire[1].pkt) || !bytes.Equal(tb.wire[3].pkt, tb.wire[5].pkt) || !bytes.Equal(tb.wire[4].pkt, tb.wire[6].pkt) {
		t.Error("retransmissions are not byte-identical")
	}
	if tb.server.Duplicates() != 1 || tb.eap.calls != 2 {
		t.Errorf("duplicates %d, EAP calls %d; want 1 and 2", tb.server.Duplicates(), tb.eap.calls)
	}
}

func TestMemoryTransportGivesUp(t *testing.T) {
	tb := newTestbed(t, "giveup")
	tb.transport.Retries = 2
	tb.transport.Lose = func(bool, []byte) bool { return true }
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("err %v, want ErrNoAnswer", err)
	}
	if len(tb.wire) != 3 {
		t.Errorf("%d transmissions, want 3", len(tb.wire))
	}
}

func TestStatusServer(t *testing.T) {
	tb := newTestbed(t, "status")
	p := radius.Packet{Code: radius.CodeStatusServer, Identifier: 9, Authenticator: [16]byte{1, 2, 3}}
	p.Attributes = []radius.Attribute{radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16))}
	b, _ := p.Marshal()
	if err := radius.SetMessageAuthenticator(b, testSecret, nil); err != nil {
		t.Fatal(err)
	}
	ans, err := tb.server.Handle("x", b)
	if err != nil {
		t.Fatal(err)
	}
	a := parseRADIUS(t, ans)
	if a.Code != radius.CodeAccessAccept || !radius.VerifyResponseAuthenticator(ans, p.Authenticator, testSecret) {
		t.Errorf("Status-Server answered %s", a.Code)
	}
}

func TestProxyStateEchoed(t *testing.T) {
	tb := newTestbed(t, "proxy")
	p := radius.Packet{Code: radius.CodeAccessRequest, Identifier: 3, Authenticator: [16]byte{9}}
	p.Attributes = append(p.Attributes, radius.EAPMessageAttributes((&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("bob")}).Marshal())...)
	p.Attributes = append(p.Attributes,
		radius.BytesAttribute(radius.AttrProxyState, []byte("hop-1")),
		radius.BytesAttribute(radius.AttrProxyState, []byte("hop-2")),
		radius.BytesAttribute(radius.AttrMessageAuthenticator, make([]byte, 16)))
	b, _ := p.Marshal()
	radius.SetMessageAuthenticator(b, testSecret, nil)
	ans, err := tb.server.Handle("x", b)
	if err != nil {
		t.Fatal(err)
	}
	got := parseRADIUS(t, ans).GetAll(radius.AttrProxyState)
	if len(got) != 2 || string(got[0]) != "hop-1" || string(got[1]) != "hop-2" {
		t.Errorf("Proxy-State in answer: %q", got)
	}
}

func TestUDPRetransmission(t *testing.T) {
	tb := newTestbed(t, "udp")
	var seen atomic.Int32
	inner := tb.server.Handler
	tb.server.Handler = HandlerFunc(func(r *Request) *Response {
		if seen.Add(1) == 1 {
			return nil // drop the first transmission
		}
		return inner.ServeRADIUS(r)
	})
	tb.server.Time = nil
	srv, err := tb.server.ListenUDP("127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP on loopback: %v", err)
	}
	defer srv.Close()
	tr, err := DialUDP(srv.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tr.Timeout = 100 * time.Millisecond
	tb.nas.Transport = tr
	res, err := tb.nas.Authenticate(&echoPeer{identity: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Code != radius.CodeAccessAccept || seen.Load() != 3 {
		t.Errorf("code %s after %d handler calls (want Access-Accept after 3)", res.Code, seen.Load())
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}

func TestUDPTimeout(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no UDP on loopback: %v", err)
	}
	defer pc.Close()
	got := make(chan int, 8)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, _, err := pc.ReadFrom(buf)
			if err != nil {
				return
			}
			got <- n
		}
	}()
	tr, err := DialUDP(pc.LocalAddr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	tr.Timeout, tr.Retries = 30*time.Millisecond, 2
	if _, err := tr.Exchange(make([]byte, 20)); !errors.Is(err, ErrNoAnswer) {
		t.Fatalf("err %v", err)
	}
	time.Sleep(20 * time.Millisecond)
	if len(got) != 3 {
		t.Errorf("%d transmissions, want 3", len(got))
	}
}
