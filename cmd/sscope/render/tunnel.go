package render

import (
	"fmt"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
)

// tunnelMethods are the EAP methods whose phase 2 runs in a TLS tunnel.
var tunnelMethods = map[string]bool{"PEAP": true, "EAP-FAST": true, "EAP-TTLS": true, "TEAP": true}

// inner writes what the decrypted tunnel showed (inner methods, their
// failure), or, when it was not decrypted, which key would reveal it.
func (t *textWriter) inner(e *report.EAP, hs []report.TLSHandshake) {
	if len(e.InnerMethods) > 0 {
		t.wrapped("    inner methods: ", 6, strings.Join(e.InnerMethods, ", "))
	}
	if e.InnerFailure != nil {
		t.wrapped("    inner failure: ", 6, *e.InnerFailure)
	}
	if e.Decrypted || !tunnelMethods[e.Method] {
		return
	}
	var tunnel *report.TLSHandshake
	for i := range hs {
		if hs[i].Kind == report.HandshakeFull || hs[i].Kind == report.HandshakeAbbreviated {
			tunnel = &hs[i]
		}
	}
	if tunnel == nil {
		return
	}
	what := "the inner method and identities"
	switch e.Method {
	case "PEAP":
		what += ", the Result TLV and fast reconnect"
	case "EAP-FAST":
		what += ", the PACs, EAP chaining and cryptobinding"
	}
	why := "no keys were given"
	if d := tunnel.Decryption; d != nil && d.Detail != "" {
		why = d.Detail
	}
	key := "a key log line (--keylog) for client random " + tunnel.ClientRandom
	if tunnel.ClientRandom == "" {
		key = "a key log (--keylog) with this handshake's secrets"
	}
	if e.FAST != nil && tunnel.Offered.PACOpaque {
		for _, p := range e.FAST.PACs {
			if p.Event == report.PACInClientHello && p.OpaqueSHA256 != nil {
				key += fmt.Sprintf(", or the PAC file (--pac) holding the PAC-Opaque of %d bytes with SHA-256 %s…", p.OpaqueLength, *p.OpaqueSHA256)
				break
			}
		}
	}
	t.wrapped("    not decrypted: ", 6, fmt.Sprintf("%s would reveal %s (%s).", key, what, why))
}

// fast writes the eap.fast object.
func (t *textWriter) fast(f *report.FAST, decrypted bool) {
	prov := "none"
	if f.Provisioning != nil {
		prov = *f.Provisioning
	}
	pac := "none"
	if f.PACInClientHello != nil {
		pac = *f.PACInClientHello
	}
	tunnel := "not built"
	if f.Tunnel != nil {
		tunnel = *f.Tunnel
	}
	parts := []string{"tunnel " + tunnel, "provisioning " + prov, "PAC in ClientHello " + pac, "chaining " + f.Chaining}
	if f.Cryptobinding != nil {
		cb := "cryptobinding " + *f.Cryptobinding
		if f.CryptobindingBasis != nil {
			cb += " (" + strings.ReplaceAll(*f.CryptobindingBasis, "-", " ") + ")"
		}
		parts = append(parts, cb)
	}
	if len(f.PACsPresented) > 0 {
		parts = append(parts, "PACs presented "+strings.Join(f.PACsPresented, ", "))
	}
	if len(f.PACsProvisioned) > 0 {
		parts = append(parts, "PACs provisioned "+strings.Join(f.PACsProvisioned, ", "))
	}
	if m := f.Phase2Messages; m.ClientToServer+m.ServerToClient > 0 && !decrypted {
		parts = append(parts, fmt.Sprintf("phase 2: %d message(s) from the client, %d from the server", m.ClientToServer, m.ServerToClient))
	}
	t.wrapped("    eap-fast: ", 6, strings.Join(parts, ", "))
	for _, p := range f.PACs {
		d := []string{p.Type}
		if p.OpaqueLength > 0 {
			o := fmt.Sprintf("PAC-Opaque %d bytes", p.OpaqueLength)
			if p.OpaqueSHA256 != nil {
				o += " sha256 " + *p.OpaqueSHA256 + "…"
			}
			d = append(d, o)
		}
		if p.IdentifiedBy != nil {
			d = append(d, "type from "+*p.IdentifiedBy)
		}
		if p.Key != nil {
			d = append(d, "PAC-Key "+*p.Key)
		}
		if p.IID != nil {
			d = append(d, "I-ID "+*p.IID)
		}
		if p.AIDInfo != nil {
			d = append(d, "A-ID-Info "+*p.AIDInfo)
		}
		if p.Expires != nil {
			d = append(d, "expires "+*p.Expires)
		}
		if p.Acknowledged != nil {
			if *p.Acknowledged {
				d = append(d, "acknowledged")
			} else {
				d = append(d, "REFUSED by the peer")
			}
		}
		t.wrapped(fmt.Sprintf("      PAC %s (frame %d): ", p.Event, p.Frame), 8, strings.Join(d, ", "))
	}
}

// decryption writes a handshake's decryption status.
func (t *textWriter) decryption(d *report.Decryption) {
	if d == nil || d.Status == report.DecryptNothing {
		return
	}
	var s string
	switch d.Status {
	case report.DecryptOK:
		s = fmt.Sprintf("decrypted, %d record(s)", d.Decrypted)
		if d.KeySource != nil {
			s += ", keys from " + *d.KeySource
		}
	default:
		s = d.Detail
		if s == "" {
			s = d.Status
		}
		if d.Decrypted > 0 {
			s += fmt.Sprintf(" (%d record(s) decrypted, %d not)", d.Decrypted, d.Failed)
		}
	}
	t.wrapped("      decryption: ", 8, s)
}

// keys lists the key material the analysis read.
func (t *textWriter) keys(ks []report.KeyInput) {
	if len(ks) == 0 {
		return
	}
	parts := make([]string, 0, len(ks))
	for _, k := range ks {
		p := fmt.Sprintf("%s %s (%d)", k.Kind, k.Source, k.Entries)
		if k.Problems > 0 {
			p += fmt.Sprintf(", %d unusable", k.Problems)
		}
		parts = append(parts, p)
	}
	t.wrapped("keys     ", 9, strings.Join(parts, "; "))
}
