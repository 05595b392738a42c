package radiusconv

import (
	"net/netip"
	"time"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/radius"
)

// txKey identifies a request: RADIUS client, server and identifier.
type txKey struct {
	client, server netip.AddrPort
	id             uint8
}

// transaction is one request with its retransmissions and response.
type transaction struct {
	key      txKey
	code     radius.Code
	auth     [16]byte
	first    flow.Ref
	last     flow.Ref
	requests int
	answered bool
	respCode radius.Code
	respAt   flow.Ref
	dupResp  int
	owner    owner
	expired  bool
}

// owner is what a transaction belongs to: an EAP conversation or a radius
// exchange.
type owner interface {
	// response hands over the response to the transaction's request.
	response(tx *transaction, p *radius.Packet, at flow.Ref, dup bool)
	// unanswered tells that a request got no response in time.
	unanswered(tx *transaction)
	// retransmission hands over a repeated transmission of the request.
	retransmission(tx *transaction, p *radius.Packet, at flow.Ref)
}

// responseTime is how long the client waited for the response, from the
// first transmission of the request (as Wireshark's radius.time).
func (tx *transaction) responseTime() time.Duration {
	if !tx.answered {
		return 0
	}
	return tx.respAt.Time.Sub(tx.first.Time)
}
