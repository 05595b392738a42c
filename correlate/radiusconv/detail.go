package radiusconv

import (
	"strconv"

	"github.com/sessionscope/sscope/dissect/eap"
)

// Timeline details are built on every packet of dense RADIUS traffic, so the
// common ones avoid fmt: fixed strings are made once, the rest appended
// into a reused buffer with one allocation for the final string.

// idText holds "id 0" … "id 255".
var idText = func() (t [256]string) {
	for i := range t {
		t[i] = "id " + strconv.Itoa(i)
	}
	return t
}()

// detail appends the parts of a timeline detail into a reused buffer.
type detail struct{ buf []byte }

func (d *detail) reset(id uint8) *detail {
	d.buf = append(d.buf[:0], idText[id]...)
	return d
}

func (d *detail) s(s string) *detail {
	d.buf = append(d.buf, s...)
	return d
}

func (d *detail) n(n int) *detail {
	d.buf = strconv.AppendInt(d.buf, int64(n), 10)
	return d
}

func (d *detail) ms(us int64) *detail {
	d.buf = strconv.AppendFloat(d.buf, float64(us)/1000, 'f', 1, 64)
	d.buf = append(d.buf, " ms"...)
	return d
}

func (d *detail) String() string { return string(d.buf) }

// eapNames caches event names such as "Request/PEAP" by code and type.
type eapNames map[uint16]string

func (m eapNames) of(e *eap.Packet) string {
	if e.Type == eap.TypeExpanded {
		return e.Code.String() + "/" + e.MethodName()
	}
	k := uint16(e.Code)<<8 | uint16(e.Type)
	if s, ok := m[k]; ok {
		return s
	}
	s := e.Code.String() + "/" + e.MethodName()
	m[k] = s
	return s
}
