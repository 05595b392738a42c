package radiusconv

import (
	"slices"
	"strings"
	"testing"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
	"github.com/sessionscope/sscope/dissect/ttls"
)

func phase2Conversation(t *testing.T, method eap.Type) *phase2Test {
	p := newPhase2Test(t, false)
	p.c.fast = nil
	p.c.obsMethod, p.c.method = method, method
	return p
}

// TestPEAPCompressedAndWholePackets: PEAPv0 sends inner packets without
// their header, rebuilt from the direction and the outer identifier;
// Extensions packets and PEAPv1's packets travel whole. An MSCHAPv2
// failure is the inner failure, with its error code.
func TestPEAPCompressedAndWholePackets(t *testing.T) {
	p := phase2Conversation(t, eap.TypePEAP)
	c := p.c
	whole := func(code eap.Code, id uint8, typ eap.Type, data string) []byte {
		return (&eap.Packet{Code: code, Identifier: id, Type: typ, Data: []byte(data)}).Marshal()
	}
	c.phase2(s2c, []byte{byte(eap.TypeIdentity)}, flowRef(1), 7)
	c.phase2(c2s, append([]byte{byte(eap.TypeIdentity)}, "bob"...), flowRef(2), 7)
	c.phase2(s2c, whole(eap.CodeRequest, 8, eap.TypeMSCHAPv2, "\x01\x08\x00\x19\x10"+strings.Repeat("c", 16)+"srv"), flowRef(3), 8)
	c.phase2(c2s, []byte("\x1a\x02\x08\x00\x3b\x31"+strings.Repeat("r", 49)+"bob"), flowRef(4), 8)
	c.phase2(s2c, []byte("\x1a\x04\x08\x00\x46E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3 M=Authentication failed"), flowRef(5), 9)
	c.phase2(c2s, []byte("\x1a\x04"), flowRef(6), 9)
	c.phase2(s2c, whole(eap.CodeRequest, 10, eap.TypeMSAuthTLV, string(eapfast.Result{Status: eapfast.StatusFailure}.Marshal())), flowRef(7), 10)
	if !slices.Equal(c.innerMethods, []string{"EAP-MSCHAPv2"}) || !slices.Equal(c.innerIDs, []string{"bob"}) ||
		!strings.Contains(c.innerFail, "E=691 (authentication failure)") || c.peapResult != "failure" {
		t.Errorf("methods %v, identities %v, failure %q, result %q", c.innerMethods, c.innerIDs, c.innerFail, c.peapResult)
	}
	var ids []string
	for _, e := range c.b.S.Timeline {
		if e.Layer == innerLayer && strings.HasPrefix(e.Detail, "id ") {
			ids = append(ids, strings.TrimSuffix(strings.Fields(e.Detail)[1], ","))
		}
	}
	if !slices.Equal(ids, []string{"7", "7", "8", "8", "9", "9"}) {
		t.Errorf("identifiers %v", ids)
	}
	if len(c.b.S.Evidence["eap.mschapv2-failure"]) != 1 {
		t.Errorf("evidence %v", c.b.S.Evidence)
	}
}

// TestTTLSInnerMethods: the AVPs name the inner method: MS-CHAP-V2 with
// its User-Name and its error, or an inner EAP method in EAP-Message.
func TestTTLSInnerMethods(t *testing.T) {
	p := phase2Conversation(t, eap.TypeTTLS)
	c := p.c
	avps := func(a ...ttls.AVP) []byte {
		b, err := ttls.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	c.phase2(c2s, avps(ttls.AVP{Code: ttls.CodeUserName, Mandatory: true, Data: []byte("carol")},
		ttls.AVP{Code: ttls.MSCHAPChallenge, VendorID: ttls.VendorMicrosoft, Data: make([]byte, 16)},
		ttls.AVP{Code: ttls.MSCHAP2Response, VendorID: ttls.VendorMicrosoft, Data: make([]byte, 50)}), flowRef(1), 3)
	c.phase2(s2c, avps(ttls.AVP{Code: ttls.MSCHAPError, VendorID: ttls.VendorMicrosoft, Data: []byte("\x01E=691 R=0 C=00112233445566778899AABBCCDDEEFF V=3")}), flowRef(2), 4)
	if !slices.Equal(c.innerMethods, []string{"MS-CHAP-V2"}) || !slices.Equal(c.innerIDs, []string{"carol"}) ||
		!strings.Contains(c.innerFail, "E=691") || !slices.Equal(c.ttlsAVPs, []string{"User-Name", "MS-CHAP-Challenge", "MS-CHAP2-Response"}) {
		t.Errorf("methods %v, identities %v, failure %q, AVPs %v", c.innerMethods, c.innerIDs, c.innerFail, c.ttlsAVPs)
	}

	p = phase2Conversation(t, eap.TypeTTLS)
	c = p.c
	c.phase2(c2s, avps(ttls.AVP{Code: ttls.CodeEAPMessage, Mandatory: true, Data: (&eap.Packet{Code: eap.CodeResponse, Identifier: 1, Type: eap.TypeIdentity, Data: []byte("dave")}).Marshal()}), flowRef(1), 3)
	c.phase2(s2c, avps(ttls.AVP{Code: ttls.CodeEAPMessage, Mandatory: true, Data: (&eap.Packet{Code: eap.CodeRequest, Identifier: 2, Type: eap.TypeMD5, Data: append([]byte{16}, make([]byte, 16)...)}).Marshal()}), flowRef(2), 4)
	c.phase2(c2s, avps(ttls.AVP{Code: ttls.CodeEAPMessage, Mandatory: true, Data: (&eap.Packet{Code: eap.CodeResponse, Identifier: 2, Type: eap.TypeMD5, Data: append([]byte{16}, make([]byte, 16)...)}).Marshal()}), flowRef(3), 4)
	c.commitInner()
	if !slices.Equal(c.innerMethods, []string{"EAP-MD5"}) || !slices.Equal(c.innerIDs, []string{"dave"}) {
		t.Errorf("inner EAP: %v %v", c.innerMethods, c.innerIDs)
	}
}

func flowRef(frame uint64) flow.Ref { return flow.Ref{Frame: frame} }
