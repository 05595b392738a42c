package radiusnode

import (
	"errors"
	"net"
	"sync"
)

// UDPServer serves a Server on a UDP socket.
type UDPServer struct {
	conn *net.UDPConn
	done chan struct{}
	once sync.Once
	err  error
}

// ListenUDP serves s on addr (for example "127.0.0.1:0") until Close. Each
// datagram is handled in turn; errors of Handle drop the datagram, as a
// RADIUS server does.
func (s *Server) ListenUDP(addr string) (*UDPServer, error) {
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, err
	}
	conn, err := net.ListenUDP("udp", ua)
	if err != nil {
		return nil, err
	}
	u := &UDPServer{conn: conn, done: make(chan struct{})}
	go u.serve(s)
	return u, nil
}

// Addr is the address the server listens on.
func (u *UDPServer) Addr() net.Addr { return u.conn.LocalAddr() }

func (u *UDPServer) serve(s *Server) {
	defer close(u.done)
	buf := make([]byte, 65535)
	for {
		n, from, err := u.conn.ReadFromUDP(buf)
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				u.err = err
			}
			return
		}
		datagram := append([]byte(nil), buf[:n]...)
		answer, err := s.Handle(from.String(), datagram)
		if err != nil || answer == nil {
			continue
		}
		if _, err := u.conn.WriteToUDP(answer, from); err != nil && errors.Is(err, net.ErrClosed) {
			return
		}
	}
}

// Close stops serving and waits for the loop to end. It returns the
// error that stopped the loop early, if any.
func (u *UDPServer) Close() error {
	u.once.Do(func() { u.conn.Close() })
	<-u.done
	return u.err
}
