package capture

import "io"

// Flights turns what the two ends of a TCP connection write into flights,
// as a real stack would send them: consecutive writes by one side (several
// TLS records of one handshake flight, say) are joined and sent by one
// TCPConn.Send when the other side writes, or on Flush or Close. Endpoints
// that write to an io.Writer can so be connected to a capture directly.
//
// Flights is not safe for concurrent use, like the Writer it writes to.
type Flights struct {
	conn       *TCPConn
	fromClient bool // the side whose bytes are pending
	pending    []byte
}

// Flights returns a flight gatherer for the connection.
func (t *TCPConn) Flights() *Flights { return &Flights{conn: t} }

// Client is the client's end: what is written to it goes to the server.
func (f *Flights) Client() io.Writer { return flightSide{f, true} }

// Server is the server's end: what is written to it goes to the client.
func (f *Flights) Server() io.Writer { return flightSide{f, false} }

// Flush sends the pending flight, if any, and returns the number of its
// first frame (or of the next frame when nothing was pending).
func (f *Flights) Flush() (firstFrame int) {
	if len(f.pending) == 0 {
		return f.conn.w.NextFrame()
	}
	n := f.conn.Send(f.fromClient, f.pending)
	f.pending = f.pending[:0]
	return n
}

// Close sends the pending flight and then closes the connection from one
// side (see TCPConn.Close).
func (f *Flights) Close(fromClient bool) {
	f.Flush()
	f.conn.Close(fromClient)
}

// write adds p to the side's pending flight, sending the other side's
// flight first.
func (f *Flights) write(fromClient bool, p []byte) {
	if len(p) == 0 {
		return
	}
	if len(f.pending) > 0 && f.fromClient != fromClient {
		f.Flush()
	}
	f.fromClient = fromClient
	f.pending = append(f.pending, p...)
}

// flightSide is one side's io.Writer.
type flightSide struct {
	f          *Flights
	fromClient bool
}

// Write never fails: errors are kept by the Writer (see Writer).
func (s flightSide) Write(p []byte) (int, error) {
	s.f.write(s.fromClient, p)
	return len(p), nil
}
