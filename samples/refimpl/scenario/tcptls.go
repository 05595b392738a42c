package scenario

import (
	"fmt"
	"time"

	"github.com/sessionscope/sscope/samples/refimpl/capture"
	"github.com/sessionscope/sscope/samples/refimpl/tlsengine"
)

// tlsOverTCP is one TLS connection carried over a captured TCP connection.
type tlsOverTCP struct {
	w      *World
	tcp    *capture.TCPConn
	client *tlsengine.Conn
	server *tlsengine.Conn
	// helloFrames are the frames of every flight the client started a
	// handshake with, in order.
	helloFrames []int
}

// rtt is the round trip time between the scenario's clients and servers.
const rtt = 2 * time.Millisecond

// dialTLS opens the TCP connection and runs the handshake to its end
// (complete or failed).
func dialTLS(w *World, client, server capture.Endpoint, ccfg, scfg *tlsengine.Config) (*tlsOverTCP, error) {
	c := &tlsOverTCP{w: w, tcp: w.Capture.DialTCP(client, server), client: tlsengine.Client(ccfg), server: tlsengine.Server(scfg)}
	hello, err := c.client.Start()
	if err != nil {
		return nil, err
	}
	c.helloFrames = append(c.helloFrames, w.Capture.NextFrame())
	return c, c.pump(hello, true)
}

// pump carries flights back and forth until one side has nothing to say.
func (c *tlsOverTCP) pump(msg []byte, fromClient bool) error {
	for rounds := 0; len(msg) > 0; rounds++ {
		if rounds > 20 {
			return fmt.Errorf("TLS over TCP: handshake does not converge")
		}
		c.w.Clock.Advance(rtt / 2)
		c.tcp.Send(fromClient, msg)
		var err error
		if fromClient {
			msg, err = c.server.Feed(msg)
		} else {
			msg, err = c.client.Feed(msg)
		}
		fromClient = !fromClient
		if err != nil {
			// The failing side's answer (an alert) still goes out.
			if len(msg) > 0 {
				c.w.Clock.Advance(rtt / 2)
				c.tcp.Send(fromClient, msg)
				if fromClient {
					c.server.Feed(msg)
				} else {
					c.client.Feed(msg)
				}
			}
			return nil
		}
	}
	return nil
}

// request sends an application request and its answer.
func (c *tlsOverTCP) request(req, resp string) error {
	if !c.client.HandshakeComplete() {
		return nil
	}
	if err := c.pump(c.client.WriteApplicationData([]byte(req)), true); err != nil {
		return err
	}
	if got := string(c.server.ReadApplicationData()); got != req {
		return fmt.Errorf("server read %q, want %q", got, req)
	}
	if err := c.pump(c.server.WriteApplicationData([]byte(resp)), false); err != nil {
		return err
	}
	if got := string(c.client.ReadApplicationData()); got != resp {
		return fmt.Errorf("client read %q, want %q", got, resp)
	}
	return nil
}

// close ends TLS with close_notify both ways and TCP with FINs.
func (c *tlsOverTCP) close() {
	if c.client.Failed() == nil && c.server.Failed() == nil {
		c.w.Clock.Advance(rtt / 2)
		n := c.client.CloseNotify()
		c.tcp.Send(true, n)
		c.server.Feed(n)
		c.w.Clock.Advance(rtt / 2)
		n = c.server.CloseNotify()
		c.tcp.Send(false, n)
		c.client.Feed(n)
	}
	c.w.Clock.Advance(rtt / 2)
	c.tcp.Close(true)
}
