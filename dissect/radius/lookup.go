package radius

import "net/netip"

// Get returns the value of the first attribute of type t. For t 26
// (Vendor-Specific) that is the first VSA as stored in p.Attributes; use
// Vendor to read vendor sub-attributes.
func (p *Packet) Get(t uint8) ([]byte, bool) {
	for i := range p.Attributes {
		if p.Attributes[i].Type == t {
			return p.Attributes[i].Value, true
		}
	}
	return nil, false
}

// GetAll returns the values of every attribute of type t, in packet order.
func (p *Packet) GetAll(t uint8) [][]byte {
	var out [][]byte
	for i := range p.Attributes {
		if p.Attributes[i].Type == t {
			out = append(out, p.Attributes[i].Value)
		}
	}
	return out
}

// Has reports whether p has an attribute of type t.
func (p *Packet) Has(t uint8) bool {
	_, ok := p.Get(t)
	return ok
}

// attribute returns the first attribute of type t.
func (p *Packet) attribute(t uint8) (Attribute, bool) {
	for i := range p.Attributes {
		if p.Attributes[i].Type == t {
			return p.Attributes[i], true
		}
	}
	return Attribute{}, false
}

// Text returns the first attribute of type t as a string (without the tag
// octet of a tagged tunnel attribute).
func (p *Packet) Text(t uint8) (string, bool) {
	a, ok := p.attribute(t)
	if !ok {
		return "", false
	}
	return a.Text(), true
}

// Uint32 returns the first attribute of type t as a four-octet integer
// (see Attribute.Uint32).
func (p *Packet) Uint32(t uint8) (uint32, bool) {
	a, ok := p.attribute(t)
	if !ok {
		return 0, false
	}
	return a.Uint32()
}

// Addr returns the first attribute of type t as an IPv4 or IPv6 address.
func (p *Packet) Addr(t uint8) (netip.Addr, bool) {
	a, ok := p.attribute(t)
	if !ok {
		return netip.Addr{}, false
	}
	return a.Addr()
}

// State returns the State attribute (RFC 2865 §5.24).
func (p *Packet) State() ([]byte, bool) { return p.Get(AttrState) }

// HasMessageAuthenticator reports whether p carries a Message-Authenticator
// attribute (RFC 3579 §3.2).
func (p *Packet) HasMessageAuthenticator() bool { return p.Has(AttrMessageAuthenticator) }

// Vendor returns the values of every sub-attribute of type t of the given
// vendor, in packet order.
func (p *Packet) Vendor(vendor uint32, t uint8) [][]byte {
	var out [][]byte
	for i := range p.Attributes {
		a := &p.Attributes[i]
		if a.IsVendorSub() && a.Vendor == vendor && a.VendorType == t {
			out = append(out, a.Value)
		}
	}
	return out
}
