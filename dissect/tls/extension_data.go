package tls

import (
	"golang.org/x/crypto/cryptobyte"
)

// Readers and writers for the contents of the extensions that hellos
// expose as fields. Readers reuse the capacity of the slice they are given
// and return false on the first short read or odd length.

// KeyShare is one key_share entry (RFC 8446 section 4.2.8). Data aliases
// the parsed message.
type KeyShare struct {
	Group uint16
	Data  []byte
}

// PSKIdentity is one pre_shared_key identity offered by a client (RFC 8446
// section 4.2.11): a ticket or an external PSK identity.
type PSKIdentity struct {
	Identity            []byte
	ObfuscatedTicketAge uint32
}

// readUint16List reads a list of 16-bit values preceded by a lenLen-byte
// length (1 or 2).
func readUint16List(data []byte, lenLen int, out []uint16) ([]uint16, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	ok := false
	if lenLen == 1 {
		ok = s.ReadUint8LengthPrefixed(&list)
	} else {
		ok = s.ReadUint16LengthPrefixed(&list)
	}
	out = out[:0]
	if !ok || len(list)%2 != 0 || !s.Empty() {
		return out, false
	}
	for !list.Empty() {
		var v uint16
		list.ReadUint16(&v)
		out = append(out, v)
	}
	return out, true
}

func addUint16List(b *cryptobyte.Builder, lenLen int, vals []uint16) {
	f := func(b *cryptobyte.Builder) {
		for _, v := range vals {
			b.AddUint16(v)
		}
	}
	if lenLen == 1 {
		b.AddUint8LengthPrefixed(f)
	} else {
		b.AddUint16LengthPrefixed(f)
	}
}

// readVersionList reads supported_versions as sent by a client.
func readVersionList(data []byte, out []Version) ([]Version, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	out = out[:0]
	if !s.ReadUint8LengthPrefixed(&list) || len(list)%2 != 0 || !s.Empty() {
		return out, false
	}
	for !list.Empty() {
		var v uint16
		list.ReadUint16(&v)
		out = append(out, Version(v))
	}
	return out, true
}

// readServerName returns the first host_name of a server_name extension
// (RFC 6066 section 3).
func readServerName(data []byte) ([]byte, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return nil, false
	}
	var host []byte
	for !list.Empty() {
		var typ uint8
		var name cryptobyte.String
		if !list.ReadUint8(&typ) || !list.ReadUint16LengthPrefixed(&name) {
			return host, false
		}
		if typ == 0 && host == nil {
			host = name
		}
	}
	return host, true
}

func marshalServerName(name string) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			b.AddUint8(0) // host_name
			b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(name)) })
		})
	})
}

// readALPN reads a ProtocolNameList, reusing out (and its strings when they
// are unchanged, so that a reused ClientHello does not allocate).
func readALPN(data []byte, out []string) ([]string, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	n := 0
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return out[:0], false
	}
	for !list.Empty() {
		var proto cryptobyte.String
		if !list.ReadUint8LengthPrefixed(&proto) {
			return out[:n], false
		}
		if n < len(out) {
			if out[n] != string(proto) {
				out[n] = string(proto)
			}
		} else {
			out = append(out, string(proto))
		}
		n++
	}
	return out[:n], true
}

func marshalALPN(protos []string) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, p := range protos {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(p)) })
			}
		})
	})
}

// readKeyShares reads a client's KeyShareClientHello.
func readKeyShares(data []byte, out []KeyShare) ([]KeyShare, bool) {
	s := cryptobyte.String(data)
	var list cryptobyte.String
	out = out[:0]
	if !s.ReadUint16LengthPrefixed(&list) || !s.Empty() {
		return out, false
	}
	for !list.Empty() {
		var ks KeyShare
		var key cryptobyte.String
		if !list.ReadUint16(&ks.Group) || !list.ReadUint16LengthPrefixed(&key) {
			return out, false
		}
		ks.Data = key
		out = append(out, ks)
	}
	return out, true
}

func marshalKeyShares(shares []KeyShare) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, ks := range shares {
				b.AddUint16(ks.Group)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ks.Data) })
			}
		})
	})
}

// readPreSharedKey reads an OfferedPsks: identities, then binders.
func readPreSharedKey(data []byte, ids []PSKIdentity, binders [][]byte) ([]PSKIdentity, [][]byte, bool) {
	s := cryptobyte.String(data)
	var idList, binderList cryptobyte.String
	ids, binders = ids[:0], binders[:0]
	if !s.ReadUint16LengthPrefixed(&idList) {
		return ids, binders, false
	}
	for !idList.Empty() {
		var id PSKIdentity
		var ident cryptobyte.String
		if !idList.ReadUint16LengthPrefixed(&ident) || !idList.ReadUint32(&id.ObfuscatedTicketAge) {
			return ids, binders, false
		}
		id.Identity = ident
		ids = append(ids, id)
	}
	if !s.ReadUint16LengthPrefixed(&binderList) || !s.Empty() {
		return ids, binders, false
	}
	for !binderList.Empty() {
		var binder cryptobyte.String
		if !binderList.ReadUint8LengthPrefixed(&binder) {
			return ids, binders, false
		}
		binders = append(binders, binder)
	}
	return ids, binders, true
}

func marshalPreSharedKey(ids []PSKIdentity, binders [][]byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, id := range ids {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(id.Identity) })
				b.AddUint32(id.ObfuscatedTicketAge)
			}
		})
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, binder := range binders {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(binder) })
			}
		})
	})
}

// readUint8Prefixed reads an extension made of one u8-length-prefixed
// vector (renegotiation_info, psk_key_exchange_modes, ec_point_formats).
func readUint8Prefixed(data []byte) ([]byte, bool) {
	s := cryptobyte.String(data)
	var v cryptobyte.String
	if !s.ReadUint8LengthPrefixed(&v) || !s.Empty() {
		return nil, false
	}
	return v, true
}

func marshalUint8Prefixed(v []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(v) })
	})
}

func marshalUint16List(lenLen int, vals []uint16) []byte {
	return build(func(b *cryptobyte.Builder) { addUint16List(b, lenLen, vals) })
}

func marshalVersionList(vals []Version) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, v := range vals {
				b.AddUint16(uint16(v))
			}
		})
	})
}

// isECHExtension reports the encrypted_client_hello code points of the
// final RFC (0xfe0d) and of the drafts that preceded it (0xfe08-0xfe0c).
func isECHExtension(t uint16) bool { return t >= 0xfe08 && t <= 0xfe0d }
