package radiusconv

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/dissect/eap"
)

// phase2 hands the decrypted application data of one EAP-TLS message to
// the dissector of the tunnel method. id is the outer EAP identifier.
func (c *conversation) phase2(dir flow.Dir, data []byte, at flow.Ref, id uint8) {
	switch c.obsMethod {
	case eap.TypePEAP:
		c.peapPhase2(dir, data, at, id)
	case eap.TypeFAST:
		c.fastPhase2(dir, data, at)
	case eap.TypeTTLS:
		c.ttlsPhase2(dir, data, at)
	case eap.TypeTLS:
		detail := fmt.Sprintf("%d bytes", len(data))
		if len(data) == 1 && data[0] == 0 && dir == flow.ServerToClient {
			detail = "protected success indication (RFC 9190): the server's handshake is over"
		}
		c.b.Event(dir, at, "tls", "application data", detail)
	default:
		c.b.Event(dir, at, "tls", "tunnel data", fmt.Sprintf("%d bytes", len(data)))
	}
}
