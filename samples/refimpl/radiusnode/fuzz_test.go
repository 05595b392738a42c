package radiusnode

import (
	"testing"

	"github.com/sessionscope/sscope/dissect/radius"
)

// FuzzServerHandle gives arbitrary datagrams to the server, as they come
// off the network. It must never panic, and whatever it answers must
// decode and verify.
func FuzzServerHandle(f *testing.F) {
	tb := newTestbed(f, "fuzz handle")
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); err != nil {
		f.Fatal(err)
	}
	for _, w := range tb.wire {
		f.Add(w.pkt)
	}
	f.Fuzz(func(t *testing.T, datagram []byte) {
		tb := newTestbed(t, "fuzz handle")
		answer, err := tb.server.Handle("192.0.2.10:50000", datagram)
		if err != nil {
			return
		}
		checkAnswer(t, answer, datagram)
	})
}

// FuzzSignedRequest builds an Access-Request around arbitrary attribute
// bytes and signs it, so the fuzzer gets past the Message-Authenticator
// into the handler and the EAP server.
func FuzzSignedRequest(f *testing.F) {
	tb := newTestbed(f, "fuzz signed")
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); err != nil {
		f.Fatal(err)
	}
	for _, w := range tb.wire {
		if w.fromNAS {
			f.Add(w.pkt[radius.HeaderLen:])
		}
	}
	f.Add(append([]byte{radius.AttrState, 8}, "conv-0"...))
	f.Fuzz(func(t *testing.T, attrs []byte) {
		if len(attrs) > radius.MaxPacketLen-radius.HeaderLen-18 {
			return
		}
		tb := newTestbed(t, "fuzz signed")
		req := append([]byte{byte(radius.CodeAccessRequest), 7, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, attrs...)
		req = append(req, radius.AttrMessageAuthenticator, 18)
		req = append(req, make([]byte, 16)...)
		req[2], req[3] = byte(len(req)>>8), byte(len(req))
		if err := radius.SetMessageAuthenticator(req, testSecret, nil); err != nil {
			return // attributes that do not parse: the server drops them too
		}
		// A conversation whose State ("conv-0") the input may name.
		tb.server.Handle("x", identityRequest(t, tb))
		answer, err := tb.server.Handle("192.0.2.10:50000", req)
		if err != nil {
			return
		}
		checkAnswer(t, answer, req)
	})
}

// FuzzReadAnswer gives the NAS arbitrary answers to a real request.
func FuzzReadAnswer(f *testing.F) {
	tb := newTestbed(f, "fuzz answer")
	if _, err := tb.nas.Authenticate(&echoPeer{identity: "alice"}); err != nil {
		f.Fatal(err)
	}
	req := tb.wire[2].pkt
	f.Add(tb.wire[3].pkt)
	f.Add(tb.wire[1].pkt)
	f.Fuzz(func(t *testing.T, answer []byte) {
		nas := &NAS{Secret: testSecret}
		p, err := nas.ReadAnswer(answer, req)
		if err != nil {
			return
		}
		if !radius.VerifyResponseAuthenticator(p.Raw, [16]byte(req[4:20]), testSecret) {
			t.Fatal("accepted an answer with a wrong Response Authenticator")
		}
		res := &Result{}
		nas.readAccept(res, p, req)
	})
}

// checkAnswer asserts an answer decodes and carries valid authenticators.
func checkAnswer(t *testing.T, answer, req []byte) {
	t.Helper()
	p, err := radius.Parse(answer)
	if err != nil {
		t.Fatalf("answer does not decode: %v", err)
	}
	reqAuth := [16]byte(req[4:20])
	if !radius.VerifyResponseAuthenticator(answer, reqAuth, testSecret) {
		t.Fatal("answer with a wrong Response Authenticator")
	}
	if ok, err := radius.VerifyMessageAuthenticator(answer, testSecret, &reqAuth); !ok || err != nil {
		t.Fatalf("answer with a wrong Message-Authenticator: %v", err)
	}
	if p.Identifier != req[1] {
		t.Fatal("answer with another identifier")
	}
}
