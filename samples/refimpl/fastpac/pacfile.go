package fastpac

import (
	"encoding/hex"
	"strconv"

	"github.com/sessionscope/sscope/dissect/eapfast"
)

// MarshalPACFile writes PACs in wpa_supplicant's text PAC file format,
// line for line as its eap_fast_save_pac does (hostapd
// src/eap_peer/eap_fast_pac.c): the header, then per PAC "START",
// "PAC-Type=<decimal>", PAC-Key, PAC-Opaque, PAC-Info, A-ID, I-ID (with
// an "I-ID-txt" rendering), A-ID-Info (with "A-ID-Info-txt"), "END".
// Values are lowercase hex; empty fields are left out. wpa_supplicant
// writes the "-txt" bytes raw; control characters, which would break the
// file, are written as '?' here. eapfast.ParsePACFile reads the result;
// wpa_supplicant reads lines of at most 2047 characters, so a PAC-Opaque
// meant for it stays under about 1000 octets.
func MarshalPACFile(entries []eapfast.PACFileEntry) []byte {
	b := []byte(eapfast.PACFileHeader + "\n")
	field := func(name string, v []byte, txt bool) {
		if len(v) == 0 {
			return
		}
		b = append(b, name...)
		b = append(b, '=')
		b = hex.AppendEncode(b, v)
		b = append(b, '\n')
		if txt {
			b = append(b, name...)
			b = append(b, "-txt="...)
			for _, c := range v {
				if c < 0x20 || c == 0x7f {
					c = '?'
				}
				b = append(b, c)
			}
			b = append(b, '\n')
		}
	}
	for _, e := range entries {
		b = append(b, "START\nPAC-Type="...)
		b = strconv.AppendUint(b, uint64(e.Type), 10)
		b = append(b, '\n')
		field("PAC-Key", e.Key, false)
		field("PAC-Opaque", e.Opaque, false)
		field("PAC-Info", e.Info, false)
		field("A-ID", e.AID, false)
		field("I-ID", e.IID, true)
		field("A-ID-Info", e.AIDInfo, true)
		b = append(b, "END\n"...)
	}
	return b
}
