package radius

import (
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
)

// corpusPacketsByName indexes the corpus RADIUS frames as "file#frame".
func corpusPacketsByName(t *testing.T) map[string]*Packet {
	t.Helper()
	out := map[string]*Packet{}
	for _, c := range corpusRADIUSPackets(t) {
		p, _ := Parse(c.Payload)
		out[c.String()] = p
	}
	return out
}

// Concrete values of the corpus captures, read off tcpdump's output, the
// Zeek radius.log baselines (username, mac, framed_addr, reply_msg) and
// the Arkime session JSON (user, nasIp, framedIp, mac, nasPort, msgType).
func TestCorpusConcreteValues(t *testing.T) {
	pk := corpusPacketsByName(t)
	type want struct {
		packet string
		code   Code
		fields map[string]string // formatted, secrets redacted
		ma     bool
		eap    string // joined EAP-Message, hex
		state  string
	}
	cases := []want{
		{packet: "tcpdump/RADIUS.pcap#1", code: CodeAccessRequest, ma: true,
			fields: map[string]string{"User-Name": "John.McGuirk", "NAS-IP-Address": "10.0.0.1", "NAS-Port": "50012",
				"NAS-Port-Type": "Ethernet", "Calling-Station-Id": "00-14-22-E9-54-5E", "Called-Station-Id": "00-19-06-EA-B8-8C"},
			eap: "02000011014a6f686e2e4d63477569726b"},
		{packet: "tcpdump/RADIUS.pcap#2", code: CodeAccessChallenge, ma: true,
			fields: map[string]string{"Reply-Message": "Hello, %u", "Framed-IP-Address": "255.255.255.254", "Framed-MTU": "576"},
			eap:    "010100160410266b0e9a58322f4d01ab25b35f879464", state: "c6d195032fdc30240f7313b231ef1d77"},
		{packet: "tcpdump/RADIUS.pcap#3", code: CodeAccessRequest, ma: true,
			fields: map[string]string{"User-Name": "John.McGuirk"}, state: "c6d195032fdc30240f7313b231ef1d77",
			eap: "020100220410c9f9769597e320843f5f2af7b8f1c9bd4a6f686e2e4d63477569726b"},
		{packet: "tcpdump/RADIUS.pcap#4", code: CodeAccessAccept, ma: true,
			fields: map[string]string{"Reply-Message": "Hello, John.McGuirk", "User-Name": "John.McGuirk"}, eap: "03010004"},
		{packet: "tcpdump/RADIUS-RFC3162.pcap#1", code: CodeAccessRequest,
			fields: map[string]string{"User-Name": "bob", "User-Password": Redacted, "NAS-IPv6-Address": "2001:db8:a0b:12f0::1"}},
		{packet: "tcpdump/RADIUS-RFC4675.pcap#2", code: CodeAccessAccept,
			fields: map[string]string{"Egress-VLANID": "Tagged 123", "Ingress-Filters": "Enabled", "Egress-VLAN-Name": "Tagged vlanname",
				"User-Priority-Table": "6162636461626364"}},
		{packet: "tcpdump/RADIUS-RFC4675.pcap#3", code: CodeAccessRequest, ma: true,
			fields: map[string]string{"User-Name": "bob-untagged", "NAS-IP-Address": "127.0.0.1", "NAS-Port": "1"}},
		{packet: "tcpdump/RADIUS-RFC5176.pcap#1", code: CodeDisconnectRequest, ma: true},
		{packet: "tcpdump/RADIUS-RFC5176-2.pcap#1", code: CodeAccessRequest,
			fields: map[string]string{"Error-Cause": "Residual-Context-Removed"}},
		{packet: "tcpdump/RADIUS-port1700.pcap#1", code: CodeCoARequest, fields: map[string]string{"User-Name": "bob"}},
		{packet: "tcpdump/RADIUS-RFC5580.pcap#1", code: CodeAccessRequest,
			fields: map[string]string{"Operator-Name": "[TADIG] namespace TADIG", "Location-Data": "00016d79206c6f636174696f6e"}},
		{packet: "tcpdump/radius_rfc5447.pcap#1", code: CodeAccessRequest,
			fields: map[string]string{"User-Name": "luser", "MIP6-Home-Link-Prefix": "2001:db8::/32"}},
		// Zeek radius.log: steve, framed_addr 172.16.3.33.
		{packet: "zeek/Traces/radius/radius_localhost.pcap#1", code: CodeAccessRequest, ma: true,
			fields: map[string]string{"User-Name": "steve", "NAS-IP-Address": "192.168.0.28", "NAS-Port": "123"}, eap: "0266000a017374657665"},
		{packet: "zeek/Traces/radius/radius_localhost.pcap#8", code: CodeAccessAccept, ma: true,
			fields: map[string]string{"Framed-IP-Address": "172.16.3.33", "Framed-IP-Netmask": "255.255.255.0", "Filter-Id": "std.ppp",
				"Framed-Routing": "Broadcast-Listen", "Framed-Compression": "Van-Jacobson-TCP-IP", "Framed-Protocol": "PPP"},
			eap: "03710004"},
		{packet: "zeek/Traces/radius/radius_localhost.pcap#11", code: CodeAccessRequest, ma: true,
			fields: map[string]string{"CHAP-Password": Redacted}},
		// Zeek radius.log: John.McGuirk, mac 00:14:22:e9:54:5e, framed_addr
		// 255.255.255.254, reply_msg "Hello, %u".
		{packet: "zeek/Traces/radius/radius.pcap#2", code: CodeAccessChallenge, ma: true,
			fields: map[string]string{"Reply-Message": "Hello, %u", "Framed-IP-Address": "255.255.255.254"},
			eap:    "010100160410266b0e9a58322f4d01ab25b35f879464", state: "c6d195032fdc30240f7313b231ef1d77"},
		// Arkime: user xxxxxxxxx, nasIp 10.0.0.1, framedIp 10.0.0.3, nasPort
		// 0, mac 98:5a:eb:89:80:00, accounting-request/-response.
		{packet: "arkime/radius.pcap#1", code: CodeAccountingRequest,
			fields: map[string]string{"User-Name": "xxxxxxxxx", "NAS-IP-Address": "10.0.0.1", "Framed-IP-Address": "10.0.0.3",
				"NAS-Port": "0", "Acct-Status-Type": "Interim-Update", "Aruba-Essid-Name": "xxx-employee", "Aruba-User-Role": "XXX_EMPLOYEE",
				"Aruba-AP-Group": "XXX2", "Aruba-Location-Id": "XXXX-000-000-000a2"}},
		{packet: "arkime/radius.pcap#2", code: CodeAccountingResponse, fields: map[string]string{}},
	}
	for _, c := range cases {
		p, ok := pk[c.packet]
		if !ok {
			t.Errorf("%s: not in the corpus", c.packet)
			continue
		}
		if p.Code != c.code {
			t.Errorf("%s: code %v, want %v", c.packet, p.Code, c.code)
		}
		got := map[string]string{}
		for _, f := range p.Fields(false) {
			if _, dup := got[f.Name]; !dup {
				got[f.Name] = f.Value
			}
		}
		for name, v := range c.fields {
			if got[name] != v {
				t.Errorf("%s: %s = %q, want %q", c.packet, name, got[name], v)
			}
		}
		if p.HasMessageAuthenticator() != c.ma {
			t.Errorf("%s: Message-Authenticator present %v, want %v", c.packet, !c.ma, c.ma)
		}
		eap, ok := p.EAPMessage()
		if hex.EncodeToString(eap) != c.eap || ok != (c.eap != "") {
			t.Errorf("%s: EAP-Message %x (%v), want %s", c.packet, eap, ok, c.eap)
		}
		st, _ := p.State()
		if hex.EncodeToString(st) != c.state {
			t.Errorf("%s: State %x, want %s", c.packet, st, c.state)
		}
	}
	// Arkime derives its mac from Calling-Station-Id.
	if cs, _ := pk["arkime/radius.pcap#1"].Text(AttrCallingStationID); !strings.EqualFold(cs, "985aeb898000") {
		t.Errorf("arkime Calling-Station-Id %q does not carry mac 98:5a:eb:89:80:00", cs)
	}
}

// The captures made against FreeRADIUS test servers used its default
// secret "testing123": every authenticator below verifies with it (an MD5
// or HMAC-MD5 match does not happen by chance) and none with another.
func TestCorpusSharedSecret(t *testing.T) {
	pk := corpusPacketsByName(t)
	secret := []byte("testing123")
	wrong := []byte("testing124")
	req := func(name string) *Packet {
		p, ok := pk[name]
		if !ok {
			t.Fatalf("%s not in the corpus", name)
		}
		return p
	}
	verifyMA := func(name string, ra *[16]byte) {
		p := req(name)
		if ok, err := VerifyMessageAuthenticator(p.Raw, secret, ra); !ok || err != nil {
			t.Errorf("%s: Message-Authenticator does not verify: %v", name, err)
		}
		if ok, _ := VerifyMessageAuthenticator(p.Raw, wrong, ra); ok {
			t.Errorf("%s: Message-Authenticator verifies with a wrong secret", name)
		}
	}
	verifyResponse := func(name, request string) {
		p, q := req(name), req(request)
		if !VerifyResponseAuthenticator(p.Raw, q.Authenticator, secret) || VerifyResponseAuthenticator(p.Raw, q.Authenticator, wrong) {
			t.Errorf("%s: Response Authenticator against %s does not verify with the secret alone", name, request)
		}
		if p.HasMessageAuthenticator() {
			verifyMA(name, &q.Authenticator)
		}
	}
	password := func(name, want string) {
		p := req(name)
		pw, err := DecryptUserPassword(mustGet(t, p, AttrUserPassword), secret, p.Authenticator)
		if err != nil || string(pw) != want {
			t.Errorf("%s: User-Password %q, %v; want %q", name, pw, err, want)
		}
	}

	// RFC 4675 capture: three PAP exchanges of user "bob-*", password hello.
	for i := 1; i <= 5; i += 2 {
		name := fmt.Sprintf("tcpdump/RADIUS-RFC4675.pcap#%d", i)
		verifyMA(name, nil)
		password(name, "hello")
		verifyResponse(fmt.Sprintf("tcpdump/RADIUS-RFC4675.pcap#%d", i+1), name)
	}
	password("tcpdump/RADIUS-RFC3162.pcap#1", "hello")
	password("tcpdump/RADIUS-RFC5176-2.pcap#1", "hello")

	// RFC 5176 §3.4: a Disconnect-Request's Message-Authenticator is
	// computed over 16 zero octets in the authenticator field, its Request
	// Authenticator like an Accounting-Request's.
	dr := req("tcpdump/RADIUS-RFC5176.pcap#1")
	verifyMA("tcpdump/RADIUS-RFC5176.pcap#1", &[16]byte{})
	if ok, _ := VerifyMessageAuthenticator(dr.Raw, secret, nil); ok {
		t.Error("Disconnect-Request Message-Authenticator verifies over its own authenticator")
	}
	if !VerifyAccountingRequestAuthenticator(dr.Raw, secret) {
		t.Error("Disconnect-Request authenticator does not verify")
	}
	if !VerifyAccountingRequestAuthenticator(req("tcpdump/RADIUS-port1700.pcap#1").Raw, secret) {
		t.Error("CoA-Request authenticator does not verify")
	}

	// Zeek's localhost capture: EAP-MD5 and PAP against FreeRADIUS.
	for i, pw := range map[int]string{1: "bad", 3: "bad", 5: "testing", 7: "testing", 9: "testing", 13: "bad_password"} {
		password(fmt.Sprintf("zeek/Traces/radius/radius_localhost.pcap#%d", i), pw)
	}
	for i := 1; i <= 13; i += 2 {
		name := fmt.Sprintf("zeek/Traces/radius/radius_localhost.pcap#%d", i)
		verifyMA(name, nil)
		verifyResponse(fmt.Sprintf("zeek/Traces/radius/radius_localhost.pcap#%d", i+1), name)
	}
	// Frame 11 is CHAP with password "testing" and the Request
	// Authenticator as challenge.
	chapReq := req("zeek/Traces/radius/radius_localhost.pcap#11")
	chap := mustGet(t, chapReq, AttrCHAPPassword)
	if got := CHAPPassword(chap[0], []byte("testing"), chapReq.Authenticator[:]); hex.EncodeToString(got) != hex.EncodeToString(chap) {
		t.Errorf("CHAP-Password %x, capture has %x", got, chap)
	}
}
