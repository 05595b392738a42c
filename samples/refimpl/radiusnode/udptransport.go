package radiusnode

import (
	"errors"
	"net"
	"time"
)

// DefaultTimeout is how long UDPTransport waits for an answer before it
// retransmits.
const DefaultTimeout = 2 * time.Second

// UDPTransport talks to a RADIUS server over UDP, retransmitting the same
// datagram when no answer comes in time.
type UDPTransport struct {
	// Timeout overrides DefaultTimeout.
	Timeout time.Duration
	// Retries overrides DefaultRetries (negative: no retransmission).
	Retries int

	conn *net.UDPConn
}

// DialUDP returns a transport to the server at addr ("host:port").
func DialUDP(addr string) (*UDPTransport, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialUDP("udp", nil, ua)
	if err != nil {
		return nil, err
	}
	return &UDPTransport{conn: conn}, nil
}

// LocalAddr is the NAS side of the socket.
func (u *UDPTransport) LocalAddr() net.Addr { return u.conn.LocalAddr() }

// Close closes the socket.
func (u *UDPTransport) Close() error { return u.conn.Close() }

// Exchange sends req and returns the first datagram that answers it (same
// identifier), retransmitting req unchanged after each timeout.
func (u *UDPTransport) Exchange(req []byte) ([]byte, error) {
	if len(req) < 2 {
		return nil, errors.New("radiusnode: request too short")
	}
	timeout := u.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	retries := u.Retries
	switch {
	case retries == 0:
		retries = DefaultRetries
	case retries < 0:
		retries = 0
	}
	buf := make([]byte, 65535)
	for attempt := 0; attempt <= retries; attempt++ {
		if _, err := u.conn.Write(req); err != nil {
			return nil, err
		}
		deadline := time.Now().Add(timeout)
		if err := u.conn.SetReadDeadline(deadline); err != nil {
			return nil, err
		}
		for {
			n, err := u.conn.Read(buf)
			if err != nil {
				var ne net.Error
				if errors.As(err, &ne) && ne.Timeout() {
					break
				}
				return nil, err
			}
			if n >= 20 && buf[1] == req[1] {
				return append([]byte(nil), buf[:n]...), nil
			}
		}
	}
	return nil, ErrNoAnswer
}
