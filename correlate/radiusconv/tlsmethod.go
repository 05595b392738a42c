package radiusconv

import (
	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/handshake"
	"github.com/sessionscope/sscope/dissect"
	"github.com/sessionscope/sscope/dissect/eap"
)

// tlsMethod follows one packet of a TLS-based method.
func (c *conversation) tlsMethod(dir flow.Dir, e *eap.Packet, at flow.Ref) {
	f, err := eap.ParseTLSFragment(e)
	name := c.t.names.of(e)
	if err != nil {
		c.t.problem(at, "eap", err)
		c.b.Event(dir, at, "eap", name, "malformed: "+err.Error())
		return
	}
	if e.Type == eap.TypePEAP || e.Type == eap.TypeFAST || e.Type == eap.TypeTTLS || e.Type == eap.TypeTEAP {
		if dir == flow.ServerToClient && f.IsStart() {
			c.peapVer, c.hasPeapVer = int(f.Version), true
		}
	}
	d := c.t.det.reset(e.Identifier)
	switch {
	case f.IsStart():
		d.s(", Start")
		if e.Type != eap.TypeTLS {
			d.s(", version ").n(int(f.Version))
		}
		if len(f.AuthorityID) > 0 {
			c.fastAID = append([]byte(nil), f.AuthorityID...)
			d.s(", Authority-ID ").s(hexString(f.AuthorityID))
		}
		if c.obs == nil || c.obsMethod != e.Type {
			c.newObserver(e.Type)
		}
	case f.IsAck():
		d.s(", ACK")
	default:
		d.s(", TLS data ").n(len(f.Data)).s(" bytes")
		if f.HasLength {
			d.s(" of ").n(int(f.MessageLength))
		}
		if f.MoreFragments() {
			d.s(", more fragments follow")
		}
	}
	if c.obs == nil || c.obsMethod != e.Type {
		c.newObserver(e.Type)
	}
	tunnel := c.obs.Established() && len(f.Data) > 0
	if tunnel {
		d.s(" (tunnel data, phase 2)")
	}
	c.b.Event(dir, at, "eap", name, d.String())
	data, complete, err := c.reasm[dir].Add(e.Identifier, f)
	if err != nil {
		c.t.problem(at, "eap", err)
		c.b.Event(dir, at, "eap", "TLS reassembly problem", err.Error())
		if dissect.KindOf(err) == dissect.CapExceeded {
			return
		}
	}
	if complete && len(data) > 0 {
		if tunnel {
			c.tunnelMsgs[dir]++
		}
		c.feedTLS(dir, data, at, e.Identifier)
		if e.Type == eap.TypeFAST {
			c.fastPhase1(dir)
		}
	}
}

func (c *conversation) newObserver(t eap.Type) {
	c.obsMethod = t
	c.obs = handshake.New(handshake.Options{
		PACInTicket: t == eap.TypeFAST,
		Sink:        c,
		Registry:    c.t.opt.Registry,
		Server:      c.server.String(),
	})
	c.reasm = [2]eap.Reassembler{}
	c.newTunnel()
}
