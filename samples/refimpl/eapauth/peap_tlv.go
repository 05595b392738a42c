package eapauth

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
)

// PEAPv0 phase 2 framing (draft-kamath-pppext-peapv0, [MS-PEAP] sections
// 2.2 and 3.1.5): inner EAP packets travel without their 4-octet header
// (code, identifier, length), rebuilt by the receiver from the outer
// packet, except the Extensions packets (EAP type 33), which travel whole
// and carry TLVs; the Result TLV ends phase 2.

// maxCompressedData is the most type data a compressed inner packet can
// carry.
const maxCompressedData = 0xffff - 4

// compressInner drops the header of an inner EAP packet.
func compressInner(pkt []byte) []byte { return pkt[4:] }

// expandInner rebuilds an inner EAP packet from its compressed form with
// the given code and identifier.
func expandInner(code eap.Code, id uint8, data []byte) ([]byte, error) {
	if len(data) == 0 || len(data) > maxCompressedData {
		return nil, fmt.Errorf("compressed inner packet of %d octets", len(data))
	}
	b := make([]byte, 4, 4+len(data))
	b[0], b[1] = byte(code), id
	binary.BigEndian.PutUint16(b[2:], uint16(4+len(data)))
	return append(b, data...), nil
}

// isExtensions reports whether tunnel data is a whole Extensions packet
// of the given code (the test wpa_supplicant and FreeRADIUS apply: the
// header's length is the data's, the type is 33).
func isExtensions(data []byte, code eap.Code) bool {
	return len(data) >= 5 && eap.Code(data[0]) == code &&
		int(binary.BigEndian.Uint16(data[2:4])) == len(data) && eap.Type(data[4]) == eap.TypeMSAuthTLV
}

// resultExtensions builds an Extensions packet with a mandatory Result
// TLV. The TLVs of PEAPv0 ([MS-PEAP] section 2.2.8) have the layout and
// numbers of EAP-FAST's, so package dissect/eapfast encodes them.
func resultExtensions(code eap.Code, id uint8, success bool) []byte {
	status := eapfast.StatusFailure
	if success {
		status = eapfast.StatusSuccess
	}
	return (&eap.Packet{Code: code, Identifier: id, Type: eap.TypeMSAuthTLV, Data: eapfast.Result{Status: status}.Marshal()}).Marshal()
}

// parseResultExtensions reads the Result TLV of an Extensions packet.
// Unknown optional TLVs are skipped; an unknown mandatory TLV, a
// malformed TLV or a missing Result is an error.
func parseResultExtensions(data []byte) (success bool, err error) {
	var p eap.Packet
	if err := p.DecodeFromBytes(data); err != nil {
		return false, err
	}
	tlvs, err := eapfast.Parse(p.Data)
	if err != nil {
		return false, err
	}
	found := false
	for _, t := range tlvs {
		switch {
		case t.Type == eapfast.TypeResult:
			var r eapfast.Result
			if err := r.Unmarshal(t.Raw); err != nil {
				return false, err
			}
			if r.Status != eapfast.StatusSuccess && r.Status != eapfast.StatusFailure {
				return false, fmt.Errorf("Result TLV with status %d", r.Status)
			}
			success, found = r.Status == eapfast.StatusSuccess, true
		case t.Mandatory:
			return false, fmt.Errorf("unknown mandatory TLV %d", t.Type)
		}
	}
	if !found {
		return false, errors.New("Extensions packet without Result TLV")
	}
	return success, nil
}
