package radius

import "github.com/sessionscope/sscope/dissect"

// EAPMessage returns the EAP packet carried in the packet's EAP-Message
// attributes: their values joined in order (RFC 3579 §3.1). With a single
// attribute the value is returned as is, aliasing the input. It returns
// false when there is no EAP-Message attribute or the joined packet would
// exceed dissect.MaxEAPMessage (AppendEAPMessage says so with an error).
func (p *Packet) EAPMessage() ([]byte, bool) {
	n, first := 0, -1
	for i := range p.Attributes {
		if p.Attributes[i].Type == AttrEAPMessage {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	switch n {
	case 0:
		return nil, false
	case 1:
		return p.Attributes[first].Value, true
	}
	eap, err := p.AppendEAPMessage(nil)
	if err != nil {
		return nil, false
	}
	return eap, true
}

// AppendEAPMessage appends the values of the packet's EAP-Message
// attributes to dst. If the joined values would exceed dissect.MaxEAPMessage
// it appends nothing past the cap and returns a CapExceeded error.
func (p *Packet) AppendEAPMessage(dst []byte) ([]byte, error) {
	n := 0
	for i := range p.Attributes {
		a := &p.Attributes[i]
		if a.Type != AttrEAPMessage {
			continue
		}
		if n+len(a.Value) > dissect.MaxEAPMessage {
			return dst, dissect.Errorf(dissect.CapExceeded, layer, a.Offset, "EAP-Message attributes join to more than %d bytes", dissect.MaxEAPMessage)
		}
		n += len(a.Value)
		dst = append(dst, a.Value...)
	}
	return dst, nil
}

// EAPMessageAttributes splits an EAP packet into EAP-Message attributes of
// at most 253 octets each (RFC 3579 §3.1). The values alias eap. An empty
// eap yields no attribute.
func EAPMessageAttributes(eap []byte) []Attribute {
	var out []Attribute
	for len(eap) > 0 {
		n := min(len(eap), MaxAttributeValueLen)
		out = append(out, Attribute{Type: AttrEAPMessage, Value: eap[:n:n]})
		eap = eap[n:]
	}
	return out
}
