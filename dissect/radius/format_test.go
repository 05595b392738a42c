package radius

import (
	"testing"
)

func TestFormatAttribute(t *testing.T) {
	cases := []struct {
		name    string
		a       Attribute
		show    bool
		want    Field
		problem bool
	}{
		{name: "text", a: TextAttribute(AttrUserName, "alice@example.com"),
			want: Field{Name: "User-Name", Value: "alice@example.com", Type: 1}},
		{name: "text with control bytes", a: BytesAttribute(AttrUserName, []byte("a\x00b\n")),
			want: Field{Name: "User-Name", Value: `a\x00b\n`, Type: 1}},
		{name: "text not UTF-8", a: BytesAttribute(AttrReplyMessage, []byte{'o', 'k', 0xff}),
			want: Field{Name: "Reply-Message", Value: `ok\xff`, Type: 18}},
		{name: "enum", a: Uint32Attribute(AttrAcctTerminateCause, 20),
			want: Field{Name: "Acct-Terminate-Cause", Value: "Reauthentication-Failure", Type: 49}},
		{name: "enum value without a name", a: Uint32Attribute(AttrNASPortType, 9999),
			want: Field{Name: "NAS-Port-Type", Value: "9999", Type: 61}},
		{name: "integer of 3 bytes", a: BytesAttribute(AttrSessionTimeout, []byte{0, 1, 2}), problem: true,
			want: Field{Name: "Session-Timeout", Value: "000102", Type: 27}},
		{name: "time", a: Uint32Attribute(AttrEventTimestamp, 0),
			want: Field{Name: "Event-Timestamp", Value: "1970-01-01T00:00:00Z", Type: 55}},
		{name: "tagged integer", a: TaggedUint32Attribute(AttrTunnelType, 3, 13),
			want: Field{Name: "Tunnel-Type", Value: "VLAN", Type: 64, Tag: 3}},
		{name: "tagged integer, tag out of range", a: BytesAttribute(AttrTunnelMediumType, []byte{0x50, 0, 0, 6}), problem: true,
			want: Field{Name: "Tunnel-Medium-Type", Value: "50000006", Type: 65, Tag: 0x50}},
		{name: "tagged text", a: TaggedTextAttribute(AttrTunnelPrivateGroupID, 1, "100"),
			want: Field{Name: "Tunnel-Private-Group-Id", Value: "100", Type: 81, Tag: 1}},
		{name: "tagged text without a tag", a: TextAttribute(AttrTunnelPrivateGroupID, "VLAN100"),
			want: Field{Name: "Tunnel-Private-Group-Id", Value: "VLAN100", Type: 81}},
		{name: "ipv6prefix /0", a: BytesAttribute(AttrFramedIPv6Prefix, []byte{0, 0}),
			want: Field{Name: "Framed-IPv6-Prefix", Value: "::/0", Type: 97}},
		{name: "ipv6prefix too short", a: BytesAttribute(AttrFramedIPv6Prefix, []byte{0}), problem: true,
			want: Field{Name: "Framed-IPv6-Prefix", Value: "00", Type: 97}},
		{name: "ipv6prefix length 129", a: BytesAttribute(AttrFramedIPv6Prefix, []byte{0, 129, 0x20}), problem: true,
			want: Field{Name: "Framed-IPv6-Prefix", Value: "008120", Type: 97}},
		{name: "ipv4 address of 5 bytes", a: BytesAttribute(AttrNASIPAddress, []byte{1, 2, 3, 4, 5}), problem: true,
			want: Field{Name: "NAS-IP-Address", Value: "0102030405", Type: 4}},
		{name: "fixed size wrong", a: BytesAttribute(AttrMessageAuthenticator, make([]byte, 15)), problem: true,
			want: Field{Name: "Message-Authenticator", Value: "000000000000000000000000000000", Type: 80}},
		{name: "Egress-VLANID unknown indication", a: BytesAttribute(56, []byte{0x33, 0, 0, 7}), problem: true,
			want: Field{Name: "Egress-VLANID", Value: "33000007", Type: 56}},
		{name: "Operator-Name unknown namespace", a: TextAttribute(AttrOperatorName, "9op"),
			want: Field{Name: "Operator-Name", Value: "[namespace 0x39] op", Type: 126}},
		{name: "unknown attribute", a: BytesAttribute(200, []byte{0xca, 0xfe}),
			want: Field{Name: "Attr-200", Value: "cafe", Type: 200}},
		{name: "unknown vendor", a: VendorAttribute(4242, 7, []byte("x")),
			want: Field{Name: "Attr-26.4242.7", Value: "78", Type: 26, Vendor: 4242, VendorType: 7}},
		{name: "known vendor, unknown type", a: VendorAttribute(VendorCisco, 254, []byte{1}),
			want: Field{Name: "Attr-26.9.254", Value: "01", Type: 26, Vendor: 9, VendorType: 254}},
		{name: "Cisco-AVPair", a: CiscoAVPairAttribute("audit-session-id", "0A3D720400016DBFE530A22E"),
			want: Field{Name: "Cisco-AVPair", Value: "audit-session-id=0A3D720400016DBFE530A22E", Type: 26, Vendor: 9, VendorType: 1}},
		{name: "Airespace-Wlan-Id", a: VendorAttribute(VendorAirespace, AirespaceWLANID, []byte{0, 0, 0, 3}),
			want: Field{Name: "Airespace-Wlan-Id", Value: "3", Type: 26, Vendor: 14179, VendorType: 1}},
		{name: "WISPr-Bandwidth-Max-Down", a: VendorAttribute(VendorWISPr, WISPrBandwidthMaxDown, []byte{0, 0x0f, 0x42, 0x40}),
			want: Field{Name: "WISPr-Bandwidth-Max-Down", Value: "1000000", Type: 26, Vendor: 14122, VendorType: 8}},
		{name: "MS-CHAP-Error", a: VendorAttribute(VendorMicrosoft, MSCHAPError, []byte("\x01E=691 R=1 C=0123 V=3")),
			want: Field{Name: "MS-CHAP-Error", Value: `\x01E=691 R=1 C=0123 V=3`, Type: 26, Vendor: 311, VendorType: 2}},
		{name: "User-Password redacted", a: BytesAttribute(AttrUserPassword, make([]byte, 16)),
			want: Field{Name: "User-Password", Value: Redacted, Secret: true, Type: 2}},
		{name: "User-Password shown", a: BytesAttribute(AttrUserPassword, []byte{0xab}), show: true,
			want: Field{Name: "User-Password", Value: "ab", Secret: true, Type: 2}},
		{name: "MS-CHAP2-Response redacted", a: VendorAttribute(VendorMicrosoft, MSCHAP2Response, make([]byte, 50)),
			want: Field{Name: "MS-CHAP2-Response", Value: Redacted, Secret: true, Type: 26, Vendor: 311, VendorType: 25}},
		{name: "MS-MPPE-Recv-Key redacted", a: VendorAttribute(VendorMicrosoft, MSMPPERecvKey, make([]byte, 34)),
			want: Field{Name: "MS-MPPE-Recv-Key", Value: Redacted, Secret: true, Type: 26, Vendor: 311, VendorType: 17}},
		{name: "Tunnel-Password redacted", a: BytesAttribute(AttrTunnelPassword, []byte{2, 0x80, 1, 5}),
			want: Field{Name: "Tunnel-Password", Value: Redacted, Secret: true, Type: 69, Tag: 2}},
	}
	for _, c := range cases {
		got := FormatAttribute(c.a, c.show)
		if (got.Problem != "") != c.problem {
			t.Errorf("%s: problem %q, want problem %v", c.name, got.Problem, c.problem)
		}
		got.Problem = ""
		if got != c.want {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestIsSecret(t *testing.T) {
	secret := []Attribute{
		BytesAttribute(AttrUserPassword, nil), BytesAttribute(AttrCHAPPassword, nil), BytesAttribute(AttrTunnelPassword, nil),
		BytesAttribute(70, nil), // ARAP-Password
		VendorAttribute(VendorMicrosoft, MSCHAPResponse, nil), VendorAttribute(VendorMicrosoft, MSCHAP2Response, nil),
		VendorAttribute(VendorMicrosoft, MSCHAP2Success, nil), VendorAttribute(VendorMicrosoft, MSMPPESendKey, nil),
		VendorAttribute(VendorMicrosoft, MSMPPERecvKey, nil), VendorAttribute(VendorMicrosoft, MSCHAPMPPEKeys, nil),
	}
	for _, a := range secret {
		if !IsSecret(a) {
			t.Errorf("%s is not secret", a.Name())
		}
	}
	public := []Attribute{
		BytesAttribute(AttrUserName, nil), BytesAttribute(AttrState, nil), BytesAttribute(AttrMessageAuthenticator, nil),
		BytesAttribute(AttrEAPMessage, nil), BytesAttribute(AttrCHAPChallenge, nil), BytesAttribute(200, nil),
		VendorAttribute(VendorMicrosoft, MSCHAPChallenge, nil), VendorAttribute(VendorMicrosoft, MSCHAPError, nil),
		VendorAttribute(VendorCisco, CiscoAVPair, nil), VendorAttribute(4242, 1, nil),
	}
	for _, a := range public {
		if IsSecret(a) {
			t.Errorf("%s is secret", a.Name())
		}
	}
}

func TestAuditSessionID(t *testing.T) {
	p := Packet{Attributes: []Attribute{
		CiscoAVPairAttribute("service-type", "Framed"),
		VendorAttribute(VendorCisco, CiscoAVPair, []byte("Audit-Session-ID=0a4012b20a59a0005f99afba")),
		CiscoAVPairAttribute("audit-session-id", "second"),
		VendorAttribute(VendorCisco, CiscoAVPair, []byte("mdm-tlv=ac-user-agent=AnyConnect Windows 4.10")),
	}}
	if id, ok := p.AuditSessionID(); !ok || id != "0a4012b20a59a0005f99afba" {
		t.Errorf("AuditSessionID = %q, %v", id, ok)
	}
	pairs := p.CiscoAVPairs()
	if len(pairs) != 4 || pairs[3] != "mdm-tlv=ac-user-agent=AnyConnect Windows 4.10" {
		t.Errorf("CiscoAVPairs = %q", pairs)
	}
	if _, ok := (&Packet{Attributes: []Attribute{TextAttribute(AttrUserName, "audit-session-id=x")}}).AuditSessionID(); ok {
		t.Error("audit-session-id found outside Cisco-AVPair")
	}
}
