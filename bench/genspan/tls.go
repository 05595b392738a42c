package main

import (
	"golang.org/x/crypto/cryptobyte"
)

// tlsVariant is the handshake a TLS flow performs.
type tlsVariant uint8

const (
	tls12Full    tlsVariant = iota // ECDHE full handshake, new session ID
	tls12Resumed                   // abbreviated handshake on an offered session ID
	tls12Refused                   // session ID offered, full handshake anyway
	tls13                          // TLS 1.3 (encrypted server flight)
	tlsAlert                       // server answers the ClientHello with a fatal alert
)

// tlsFlow is the TLS state of a kindTLS flow.
type tlsFlow struct {
	variant   tlsVariant
	server    int // index into the server names
	offeredID []byte
	ticketNST bool
}

// TLS constants used by the handshake builders.
const (
	recHandshake        = 22
	recCCS              = 20
	recAlert            = 21
	recAppData          = 23
	hsClientHello       = 1
	hsServerHello       = 2
	hsNewSessionTicket  = 4
	hsCertificate       = 11
	hsServerKeyExchange = 12
	hsServerHelloDone   = 14
	hsClientKeyExchange = 16
	groupX25519         = 29
)

// planTLS picks the handshake variant of a new TLS flow to server srvIdx.
func (g *generator) planTLS(f *tcpFlow, srvIdx int) {
	t := &f.tls
	t.server = srvIdx % len(g.tlsNames)
	r := g.rng.IntN(100)
	cached := g.tlsSessions[t.server]
	switch {
	case r < 3:
		t.variant = tlsAlert
	case r < 40:
		t.variant, t.offeredID = tls13, g.randBytes(32) // compatibility-mode session ID
	case r < 60 && cached != nil:
		t.variant, t.offeredID = tls12Resumed, cached
	case r < 66 && cached != nil:
		t.variant, t.offeredID = tls12Refused, cached
	default:
		t.variant = tls12Full
	}
	t.ticketNST = g.rng.IntN(4) == 0
	g.stats.tls[t.variant]++
}

// nextTLSMessage runs the handshake flights, then application data.
func (g *generator) nextTLSMessage(f *tcpFlow) bool {
	m := &f.msg
	t := &f.tls
	if hs := g.tlsFlight(f); hs != nil {
		m.c2s = f.step%2 == 0
		m.head, m.size = hs, len(hs)
		return true
	}
	if t.variant == tlsAlert || f.left == 0 {
		return false
	}
	rec := tlsRecord
	if t.variant == tls13 {
		rec = tls13Recrd
	}
	m.c2s = f.step%2 == 0
	if m.c2s {
		m.tlsRecords(100+g.rng.IntN(1200), rec)
	} else {
		f.left--
		m.tlsRecords(g.logNormal(10<<10, 1.6, 4<<20), rec)
	}
	return true
}

// tlsFlight returns the handshake flight for the flow's current step, or
// nil once the handshake is over. Flights alternate client, server, client,
// server starting with the ClientHello at step 0.
func (g *generator) tlsFlight(f *tcpFlow) []byte {
	t := &f.tls
	name := g.tlsNames[t.server]
	chain := g.tlsChains[t.server]
	switch t.variant {
	case tlsAlert:
		switch f.step {
		case 0:
			return g.record(recHandshake, 0x0301, g.clientHello(name, nil, false))
		case 1:
			return g.record(recAlert, 0x0303, []byte{2, 40}) // fatal handshake_failure
		}
	case tls13:
		switch f.step {
		case 0:
			return g.record(recHandshake, 0x0301, g.clientHello(name, t.offeredID, true))
		case 1:
			b := g.record(recHandshake, 0x0303, g.serverHello13(t.offeredID))
			b = append(b, g.record(recCCS, 0x0303, []byte{1})...)
			// EncryptedExtensions, Certificate, CertificateVerify, Finished.
			return append(b, g.record(recAppData, 0x0303, g.randBytes(chainLen(chain)+420))...)
		case 2:
			b := g.record(recCCS, 0x0303, []byte{1})
			return append(b, g.record(recAppData, 0x0303, g.randBytes(53))...)
		}
	case tls12Resumed:
		switch f.step {
		case 0:
			return g.record(recHandshake, 0x0301, g.clientHello(name, t.offeredID, false))
		case 1:
			b := g.record(recHandshake, 0x0303, g.serverHello12(t.offeredID, false))
			b = append(b, g.record(recCCS, 0x0303, []byte{1})...)
			return append(b, g.record(recHandshake, 0x0303, g.randBytes(40))...)
		case 2:
			b := g.record(recCCS, 0x0303, []byte{1})
			return append(b, g.record(recHandshake, 0x0303, g.randBytes(40))...)
		}
	default: // full TLS 1.2 handshake, possibly refusing an offered ID
		switch f.step {
		case 0:
			return g.record(recHandshake, 0x0301, g.clientHello(name, t.offeredID, false))
		case 1:
			id := g.randBytes(32)
			g.tlsSessions[t.server] = id
			hs := g.serverHello12(id, t.ticketNST)
			hs = append(hs, certificateMsg(chain)...)
			hs = append(hs, g.serverKeyExchange()...)
			hs = append(hs, hsServerHelloDone, 0, 0, 0)
			return g.record(recHandshake, 0x0303, hs)
		case 2:
			b := g.record(recHandshake, 0x0303, g.clientKeyExchange())
			b = append(b, g.record(recCCS, 0x0303, []byte{1})...)
			return append(b, g.record(recHandshake, 0x0303, g.randBytes(40))...)
		case 3:
			var b []byte
			if t.ticketNST {
				b = g.record(recHandshake, 0x0303, g.newSessionTicket())
			}
			b = append(b, g.record(recCCS, 0x0303, []byte{1})...)
			return append(b, g.record(recHandshake, 0x0303, g.randBytes(40))...)
		}
	}
	return nil
}

// record frames body as TLS records of at most 2^14 bytes each.
func (g *generator) record(ct byte, version uint16, body []byte) []byte {
	var b cryptobyte.Builder
	for {
		n := min(len(body), 1<<14)
		b.AddUint8(ct)
		b.AddUint16(version)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(body[:n]) })
		body = body[n:]
		if len(body) == 0 {
			break
		}
	}
	return b.BytesOrPanic()
}

// handshake wraps a handshake body in its type and 24-bit length.
func handshake(typ uint8, body func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	b.AddUint8(typ)
	b.AddUint24LengthPrefixed(body)
	return b.BytesOrPanic()
}

// Cipher suites a current browser offers, in its order.
var clientSuites = []uint16{0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
	0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035}

// clientHello builds a ClientHello for SNI name offering sessionID; tls13
// adds the TLS 1.3 extensions (supported_versions, key_share,
// psk_key_exchange_modes).
func (g *generator) clientHello(name string, sessionID []byte, tls13 bool) []byte {
	random := g.randBytes(32)
	return handshake(hsClientHello, func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sessionID) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, s := range clientSuites {
				b.AddUint16(s)
			}
		})
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			ext(b, 0, func(b *cryptobyte.Builder) { // server_name
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddUint8(0)
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(name)) })
				})
			})
			ext(b, 23, nil)                                               // extended_master_secret
			ext(b, 0xff01, func(b *cryptobyte.Builder) { b.AddUint8(0) }) // renegotiation_info
			ext(b, 10, func(b *cryptobyte.Builder) {                      // supported_groups
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddUint16(groupX25519)
					b.AddUint16(23)
					b.AddUint16(24)
				})
			})
			ext(b, 11, func(b *cryptobyte.Builder) { // ec_point_formats
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
			})
			ext(b, 35, nil)                          // session_ticket
			ext(b, 16, func(b *cryptobyte.Builder) { // ALPN
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					for _, p := range []string{"h2", "http/1.1"} {
						b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte(p)) })
					}
				})
			})
			ext(b, 5, func(b *cryptobyte.Builder) { // status_request
				b.AddUint8(1)
				b.AddUint16(0)
				b.AddUint16(0)
			})
			ext(b, 13, func(b *cryptobyte.Builder) { // signature_algorithms
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					for _, s := range []uint16{0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601, 0x0807} {
						b.AddUint16(s)
					}
				})
			})
			if tls13 {
				share := g.randBytes(32)
				ext(b, 51, func(b *cryptobyte.Builder) { // key_share
					b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
						b.AddUint16(groupX25519)
						b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(share) })
					})
				})
				ext(b, 45, func(b *cryptobyte.Builder) { // psk_key_exchange_modes
					b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(1) })
				})
				ext(b, 43, func(b *cryptobyte.Builder) { // supported_versions
					b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) {
						b.AddUint16(0x0304)
						b.AddUint16(0x0303)
					})
				})
			}
		})
	})
}

// ext adds one extension; a nil body is an empty extension.
func ext(b *cryptobyte.Builder, typ uint16, body func(b *cryptobyte.Builder)) {
	b.AddUint16(typ)
	b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
		if body != nil {
			body(b)
		}
	})
}

// serverHello12 builds a TLS 1.2 ServerHello with session ID id choosing
// ECDHE-ECDSA-AES128-GCM-SHA256; ticket announces a NewSessionTicket.
func (g *generator) serverHello12(id []byte, ticket bool) []byte {
	random := g.randBytes(32)
	return handshake(hsServerHello, func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(id) })
		b.AddUint16(0xc02b)
		b.AddUint8(0)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			ext(b, 0xff01, func(b *cryptobyte.Builder) { b.AddUint8(0) })
			ext(b, 11, func(b *cryptobyte.Builder) {
				b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddUint8(0) })
			})
			ext(b, 23, nil)
			if ticket {
				ext(b, 35, nil)
			}
			ext(b, 16, func(b *cryptobyte.Builder) {
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
					b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes([]byte("h2")) })
				})
			})
		})
	})
}

// serverHello13 builds a TLS 1.3 ServerHello echoing the client's legacy
// session ID.
func (g *generator) serverHello13(echo []byte) []byte {
	random, share := g.randBytes(32), g.randBytes(32)
	return handshake(hsServerHello, func(b *cryptobyte.Builder) {
		b.AddUint16(0x0303)
		b.AddBytes(random)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(echo) })
		b.AddUint16(0x1301)
		b.AddUint8(0)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) {
			ext(b, 43, func(b *cryptobyte.Builder) { b.AddUint16(0x0304) })
			ext(b, 51, func(b *cryptobyte.Builder) {
				b.AddUint16(groupX25519)
				b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(share) })
			})
		})
	})
}

// certificateMsg builds a Certificate message carrying chain (DER, leaf
// first).
func certificateMsg(chain [][]byte) []byte {
	return handshake(hsCertificate, func(b *cryptobyte.Builder) {
		b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) {
			for _, c := range chain {
				b.AddUint24LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(c) })
			}
		})
	})
}

func chainLen(chain [][]byte) int {
	n := 0
	for _, c := range chain {
		n += len(c) + 3
	}
	return n
}

// serverKeyExchange builds an ECDHE x25519 ServerKeyExchange signed with
// Ed25519 (random signature bytes).
func (g *generator) serverKeyExchange() []byte {
	pub, sig := g.randBytes(32), g.randBytes(64)
	return handshake(hsServerKeyExchange, func(b *cryptobyte.Builder) {
		b.AddUint8(3) // named_curve
		b.AddUint16(groupX25519)
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(pub) })
		b.AddUint16(0x0807)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(sig) })
	})
}

// clientKeyExchange builds an ECDHE ClientKeyExchange.
func (g *generator) clientKeyExchange() []byte {
	pub := g.randBytes(32)
	return handshake(hsClientKeyExchange, func(b *cryptobyte.Builder) {
		b.AddUint8LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(pub) })
	})
}

// newSessionTicket builds a TLS 1.2 NewSessionTicket.
func (g *generator) newSessionTicket() []byte {
	ticket := g.randBytes(160)
	return handshake(hsNewSessionTicket, func(b *cryptobyte.Builder) {
		b.AddUint32(7200)
		b.AddUint16LengthPrefixed(func(b *cryptobyte.Builder) { b.AddBytes(ticket) })
	})
}

// randBytes returns n fresh pseudo-random bytes.
func (g *generator) randBytes(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		v := g.rng.Uint64()
		for j := i; j < n && j < i+8; j++ {
			b[j] = byte(v)
			v >>= 8
		}
	}
	return b
}
