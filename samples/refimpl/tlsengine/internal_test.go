package tlsengine

import (
	"bytes"
	"math/big"
	"testing"
	"time"

	"github.com/sessionscope/sscope/samples/refimpl/detrand"
)

// TestFFDHE2048 recomputes the ffdhe2048 prime from its definition in RFC
// 7919 (p = 2^2048 - 2^1984 + (floor(2^1918 * e) + 560316) * 2^64 - 1)
// and checks that it is a safe prime.
func TestFFDHE2048(t *testing.T) {
	const prec = 2200
	one := new(big.Int).Lsh(big.NewInt(1), prec)
	e, term := new(big.Int), new(big.Int).Set(one)
	for k := int64(1); term.Sign() > 0; k++ {
		e.Add(e, term)
		term.Div(term, big.NewInt(k))
	}
	p := new(big.Int).Lsh(big.NewInt(1), 2048)
	p.Sub(p, new(big.Int).Lsh(big.NewInt(1), 1984))
	x := new(big.Int).Rsh(e, prec-1918)
	x.Add(x, big.NewInt(560316))
	p.Add(p, x.Lsh(x, 64))
	p.Sub(p, big.NewInt(1))
	if p.Cmp(ffdhe2048P) != 0 {
		t.Fatalf("ffdhe2048 prime differs from its definition:\n%X", p)
	}
	if !p.ProbablyPrime(10) || !new(big.Int).Rsh(p, 1).ProbablyPrime(10) {
		t.Fatal("not a safe prime")
	}
}

// TestTicketSealOpen checks the RFC 5077 section 4 layout, that the
// ticket opens with its key within the lifetime, and that every damage
// is refused.
func TestTicketSealOpen(t *testing.T) {
	key, err := NewTicketKey(detrand.New("ticket test"))
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	st := &ticketState{cipherSuite: 0xc02f, ems: true, masterSecret: bytes.Repeat([]byte{7}, 48), created: created}
	ticket, err := key.seal(st, detrand.New("ticket iv"))
	if err != nil {
		t.Fatal(err)
	}
	encLen := int(ticket[32])<<8 | int(ticket[33])
	if !bytes.Equal(ticket[:16], key.Name[:]) || len(ticket) != 16+16+2+encLen+32 || encLen%16 != 0 {
		t.Fatalf("ticket layout %x", ticket)
	}
	got, ok := key.open(ticket, created.Add(time.Hour), 2*time.Hour)
	if !ok || got.cipherSuite != 0xc02f || !got.ems || !bytes.Equal(got.masterSecret, st.masterSecret) || !got.created.Equal(created) {
		t.Fatalf("opened %+v %v", got, ok)
	}
	if _, ok := key.open(ticket, created.Add(2*time.Hour), 2*time.Hour); ok {
		t.Error("expired ticket accepted")
	}
	for i := range ticket {
		bad := bytes.Clone(ticket)
		bad[i] ^= 0x80
		if _, ok := key.open(bad, created, time.Hour); ok {
			t.Fatalf("ticket with byte %d flipped accepted", i)
		}
	}
	for _, n := range []int{0, 1, 65, len(ticket) - 1} {
		if _, ok := key.open(ticket[:n], created, time.Hour); ok {
			t.Fatalf("ticket cut to %d bytes accepted", n)
		}
	}
	other, _ := NewTicketKey(detrand.New("other"))
	if _, ok := other.open(ticket, created, time.Hour); ok {
		t.Error("ticket opened with another key")
	}
}

func TestSessionCacheCap(t *testing.T) {
	c := NewSessionCache(time.Hour)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range MaxCachedSessions + 10 {
		id := []byte{byte(i >> 16), byte(i >> 8), byte(i)}
		c.put(id, cachedSession{masterSecret: make([]byte, 48), created: at.Add(time.Duration(i) * time.Millisecond)})
	}
	if c.Len() != MaxCachedSessions {
		t.Fatalf("%d entries", c.Len())
	}
	if _, ok := c.get([]byte{0, 0, 0}, at); ok {
		t.Error("oldest entry kept")
	}
	last := MaxCachedSessions + 9
	if _, ok := c.get([]byte{byte(last >> 16), byte(last >> 8), byte(last)}, at.Add(time.Second)); !ok {
		t.Error("newest entry dropped")
	}
}
