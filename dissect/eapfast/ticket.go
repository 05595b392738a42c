package eapfast

// A peer puts its PAC-Opaque into the ClientHello's SessionTicket
// extension (RFC 4851 section 3.2.2) as a PAC-Opaque attribute, type 2
// and length before the opaque bytes: wpa_supplicant sends it so
// (eap_fast_use_pac_opaque) and hostapd's server ignores a ticket
// without that header ("Ignore invalid SessionTicket").

// SessionTicketPAC returns the SessionTicket extension data that carries
// opaque; nil if opaque is empty or longer than 65535 octets.
func SessionTicketPAC(opaque []byte) []byte {
	if len(opaque) == 0 || len(opaque) > maxValueLen {
		return nil
	}
	b := make([]byte, 0, 4+len(opaque))
	b = append(b, byte(PACAttrPACOpaque>>8), byte(PACAttrPACOpaque), byte(len(opaque)>>8), byte(len(opaque)))
	return append(b, opaque...)
}

// PACOpaqueFromSessionTicket returns the PAC-Opaque that SessionTicket
// extension data carries, and whether the data had the PAC-Opaque header
// (type 2, a length that covers the rest exactly). Data without it is
// returned whole with false: it may be a bare PAC-Opaque or an RFC 5077
// ticket. The result aliases ext.
func PACOpaqueFromSessionTicket(ext []byte) ([]byte, bool) {
	if len(ext) > 4 && uint16(ext[0])<<8|uint16(ext[1]) == uint16(PACAttrPACOpaque) &&
		int(ext[2])<<8|int(ext[3]) == len(ext)-4 {
		return ext[4:], true
	}
	return ext, false
}
