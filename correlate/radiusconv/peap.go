package radiusconv

import (
	"encoding/binary"
	"fmt"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// peapLayer is the timeline layer of PEAP phase 2 beyond inner EAP.
const peapLayer = "peap"

// Result TLV values of the PEAP report.
const (
	resultSuccess = "success"
	resultFailure = "failure"
)

// peapPhase2 follows one decrypted PEAP phase-2 message. PEAPv0 sends the
// inner EAP packets without their 4-octet header ([MS-PEAP] section
// 3.1.5.6): the code follows from the direction, the identifier is the
// outer packet's. Extensions packets (EAP type 33, carrying the Result
// TLV) travel whole, and so does everything in PEAPv1.
func (c *conversation) peapPhase2(dir flow.Dir, data []byte, at flow.Ref, id uint8) {
	code := eap.CodeResponse
	if dir == flow.ServerToClient {
		code = eap.CodeRequest
	}
	pkt := data
	if !wholeEAP(data, code) {
		if len(data) > 0xffff-4 {
			c.b.Event(dir, at, peapLayer, "phase 2 message too long", fmt.Sprintf("%d bytes", len(data)))
			return
		}
		pkt = make([]byte, 4, 4+len(data))
		pkt[0], pkt[1] = byte(code), id
		binary.BigEndian.PutUint16(pkt[2:], uint16(4+len(data)))
		pkt = append(pkt, data...)
	}
	if len(pkt) > 4 && eap.Type(pkt[4]) == eap.TypeMSAuthTLV {
		c.peapExtensions(dir, pkt, at)
		return
	}
	c.innerPacket(dir, pkt, at)
}

// wholeEAP reports whether tunnel data is a whole EAP packet of the
// direction's code: its Length is the data's (the test wpa_supplicant and
// FreeRADIUS apply to tell an Extensions packet from a compressed one).
func wholeEAP(data []byte, code eap.Code) bool {
	return len(data) >= 5 && eap.Code(data[0]) == code && int(binary.BigEndian.Uint16(data[2:4])) == len(data)
}

// peapExtensions reads an Extensions packet: its TLVs share the layout and
// numbers of EAP-FAST's ([MS-PEAP] section 2.2.8).
func (c *conversation) peapExtensions(dir flow.Dir, pkt []byte, at flow.Ref) {
	var e eap.Packet
	if err := e.DecodeFromBytes(pkt); err != nil {
		c.b.Event(dir, at, peapLayer, "malformed Extensions packet", err.Error())
		return
	}
	tlvs, values, err := eapfast.ParseValues(e.Data)
	for i, v := range values {
		switch x := v.(type) {
		case *eapfast.Result:
			st := resultWord(x.Status)
			if dir == flow.ServerToClient {
				c.commitInner()
				if x.Status == eapfast.StatusSuccess || x.Status == eapfast.StatusFailure {
					c.peapResult = st
				}
				if x.Status == eapfast.StatusFailure {
					c.b.Evidence("eap.inner-failure", at.Frame)
				}
				c.b.Event(dir, at, peapLayer, "Result TLV "+st, "the server ends phase 2")
			} else {
				c.b.Event(dir, at, peapLayer, "Result TLV "+st, "the peer acknowledges")
			}
		case *eapfast.CryptoBinding:
			c.b.Event(dir, at, peapLayer, "Crypto-Binding TLV", x.SubType.String())
		default:
			c.b.Event(dir, at, peapLayer, tlvs[i].Type.String()+" TLV", fmt.Sprintf("%d bytes", len(tlvs[i].Value)))
		}
	}
	if err != nil {
		c.b.Event(dir, at, peapLayer, "malformed TLV", err.Error())
	}
}

func resultWord(s eapfast.Status) string {
	switch s {
	case eapfast.StatusSuccess:
		return resultSuccess
	case eapfast.StatusFailure:
		return resultFailure
	}
	return s.String()
}
