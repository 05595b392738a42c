package radiusconv

import (
	"encoding/hex"
	"fmt"

	"github.com/sessionscope/sscope/correlate/flow"
	"github.com/sessionscope/sscope/correlate/report"
	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/dissect/eapfast"
	tlsd "github.com/sessionscope/sscope/dissect/tls"
)

// slotState is how one identity of EAP chaining fared.
type slotState uint8

const (
	slotUnknown slotState = iota
	slotPassed
	slotFailed
)

// maxPACsSeen caps the PACs listed per conversation.
const maxPACsSeen = 32

// expiryCandidate is an inner method that ran for an identity after the
// peer presented PACs of unknown type: if one of them was that identity's
// Authorization PAC, the server did not accept it.
type expiryCandidate struct {
	who   eapfast.Identity
	frame uint64
	event int // index of the placeholder timeline event
}

// fastState follows EAP-FAST beyond the TLS handshake: the PAC of the
// ClientHello, the tunnel's kind, and the TLVs of the decrypted phase 2.
type fastState struct {
	// Phase 1, visible without keys.
	helloSeen    bool
	helloPAC     string // report name of the ClientHello's PAC, "unknown", or "" for none
	tunnelSeen   bool
	tunnel       string
	tunnelEvent  int // index of the certificate tunnel's event, -1 if none
	noCiphers    bool
	noCiphersRef flow.Ref

	// Phase 2.
	chaining            bool
	requested, answered eapfast.Identity
	roundInner          bool // an inner method ran in this round
	slots               [3]slotState
	presentedAuthz      [3]bool
	presentedUnknown    int
	presented           []string
	presentedIdx        []int // indexes in pacs of the presented PACs (-1 past the cap)
	ranFor              [3]bool
	expiry              []expiryCandidate
	requestedTypes      []eapfast.PACType
	pacs                []report.PACSeen
	awaitingAck         []int // indexes in pacs of PACs delivered, not yet acknowledged
	acked               []string
	delivered           int
	final               eapfast.Status
	anyInner            bool

	// Cryptobinding: the S-IMCK chain when the tunnel's keys and every
	// inner method's key are known, else judged by the server's reaction.
	seedTried     bool
	chain         *eapfast.KeyChain
	isk           []byte
	iskUnknown    bool
	iskWhy        string
	cmk           []byte
	nonce         [eapfast.NonceLen]byte
	awaitReaction bool
	clientFailed  bool
	bindings      int
	verified      int
	failed        int
	byMAC         bool
	byReaction    bool
}

func (c *conversation) fastState() *fastState {
	if c.fast == nil {
		c.fast = &fastState{tunnelEvent: -1}
	}
	return c.fast
}

// fastPhase1 names the steps of phase 1 as the handshake shows them: the
// PAC of the ClientHello, the tunnel built, a ClientHello an
// anonymous-only server refused.
func (c *conversation) fastPhase1(dir flow.Dir) {
	f := c.fastState()
	h := c.obs.Current()
	if h == nil {
		return
	}
	if !f.helloSeen && h.ClientHello != nil {
		f.helloSeen = true
		if t := h.ClientHello.SessionTicket; len(t) > 0 {
			opaque, _ := eapfast.PACOpaqueFromSessionTicket(t)
			name := "unknown"
			e, known := c.t.opt.Decrypt.lookupPAC(t)
			if known {
				name = e.Type.ReportName()
			}
			f.helloPAC = name
			seen := report.PACSeen{Event: report.PACInClientHello, Frame: h.First.Frame, Type: name,
				OpaqueLength: len(opaque), OpaqueSHA256: report.Str(opaqueDigest(opaque))}
			if known {
				seen.IdentifiedBy = report.Str(identifiedBy(e.Source))
			}
			f.addPAC(seen)
			switch {
			case known && e.Type == eapfast.PACTypeTunnel:
				c.step(flow.ClientToServer, h.First, stepTunnelPAC, "the PAC-Opaque is identified by "+identifiedWords(e.Source))
			case known && e.Type == eapfast.PACTypeMachineAuthentication:
				c.step(flow.ClientToServer, h.First, stepMachinePAC, "the PAC-Opaque is identified by "+identifiedWords(e.Source))
			}
		}
	}
	if !f.noCiphers && h.Alert != nil && !h.Alert.Encrypted && h.Alert.Dir == flow.ServerToClient &&
		h.Alert.Description == 40 && h.ServerHello == nil && h.ClientHello != nil &&
		len(h.ClientHello.SessionTicket) == 0 && !offersAnonymousSuite(h.ClientHello) {
		f.noCiphers = true
		c.step(flow.ServerToClient, h.Alert.At, stepNoAnonymousCiphers, "the ClientHello lists no anonymous (DH_anon) suite and no PAC-Opaque; the server ended the handshake")
		c.b.Evidence("fast.no-anonymous-cipher", h.Alert.At.Frame)
	}
	if f.tunnelSeen || !c.obs.Established() {
		return
	}
	f.tunnelSeen = true
	first := c.obs.Handshakes()[0]
	v := first.Verdict()
	at := first.Last
	switch {
	case v.Anonymous:
		f.tunnel = "anonymous"
		c.step(dir, at, stepAnonymousTunnel, "anonymous cipher suite "+strOr(v.CipherSuite, "?"))
		c.b.Evidence("fast.anonymous-provisioning", at.Frame)
	case v.Resumption != nil && *v.Resumption == report.ResumePAC:
		f.tunnel = "pac"
		c.step(dir, at, stepPACTunnel, "abbreviated handshake from the PAC-Opaque of the ClientHello")
	default:
		f.tunnel = "certificate"
		f.tunnelEvent = len(c.b.S.Timeline)
		c.b.Event(dir, at, fastLayer, "EAP-FAST built certificate tunnel",
			"server step 12176 (PAC-less) or 12149 (authenticated provisioning): the PACs provisioned inside tell which")
	}
}

func strOr(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

// offersAnonymousSuite reports whether a ClientHello lists an anonymous
// cipher suite.
func offersAnonymousSuite(ch *tlsd.ClientHello) bool {
	for _, id := range ch.CipherSuites {
		if info, ok := tlsd.CipherSuiteInfo(id); ok && info.Anonymous {
			return true
		}
	}
	return false
}

func (d *Decryption) lookupPAC(opaque []byte) (PACEntry, bool) {
	if d == nil {
		return PACEntry{}, false
	}
	return d.PACs.Lookup(opaque)
}

func (f *fastState) addPAC(p report.PACSeen) int {
	if len(f.pacs) >= maxPACsSeen {
		return -1
	}
	f.pacs = append(f.pacs, p)
	return len(f.pacs) - 1
}

// fastPhase2 follows one decrypted EAP-FAST phase-2 message: its TLVs,
// the inner EAP they carry, the PACs, chaining and cryptobinding.
func (c *conversation) fastPhase2(dir flow.Dir, data []byte, at flow.Ref) {
	f := c.fastState()
	if !f.seedTried {
		f.seedTried = true
		if c.tun != nil {
			if h, ms, ok := c.tun.dec.MasterSecret(); ok {
				s := tlsSession{version: h.Version, suite: h.CipherSuite, clientRandom: h.ClientRandom, serverRandom: h.ServerRandom, ms: ms}
				if seed, ok := sessionKeySeed(s); ok {
					f.chain = eapfast.NewKeyChain(seed)
				}
			}
		}
	}
	tlvs, values, err := eapfast.ParseValues(data)
	if dir == flow.ServerToClient && f.awaitReaction {
		f.awaitReaction = false
		ok := true
		for _, v := range values {
			switch x := v.(type) {
			case *eapfast.Result:
				ok = ok && x.Status == eapfast.StatusSuccess
			case *eapfast.IntermediateResult:
				ok = ok && x.Status == eapfast.StatusSuccess
			case *eapfast.Error:
				ok = false
			}
		}
		c.fastReaction(ok, at, "the server's next message")
	}
	finalSuccess := false
	for i, v := range values {
		t := tlvs[i]
		switch x := v.(type) {
		case *eapfast.IdentityType:
			c.fastIdentityType(dir, x, at)
		case *eapfast.EAPPayload:
			c.innerPacket(dir, x.Packet, at)
		case *eapfast.IntermediateResult:
			c.fastIntermediate(dir, x, at)
		case *eapfast.Result:
			if dir == flow.ServerToClient {
				c.fastResult(x, at)
				finalSuccess = x.Status == eapfast.StatusSuccess
			} else {
				if x.Status != eapfast.StatusSuccess {
					f.clientFailed = true
				}
				c.b.Event(dir, at, fastLayer, "Result TLV "+resultWord(x.Status), "the peer answers")
			}
		case *eapfast.CryptoBinding:
			c.fastBinding(dir, x, t.Raw, at)
		case *eapfast.PAC:
			c.fastPAC(dir, x, at)
		case *eapfast.RequestAction:
			c.b.Event(dir, at, fastLayer, "Request-Action TLV", x.Action.String())
		case *eapfast.Error:
			c.b.Event(dir, at, fastLayer, "Error TLV", x.Code.String())
			c.b.Evidence("fast.error-tlv", at.Frame)
		case *eapfast.NAK:
			c.b.Event(dir, at, fastLayer, "NAK TLV", fmt.Sprintf("the %s TLV (vendor %d) is not understood", x.NAKType, x.VendorID))
		default:
			c.b.Event(dir, at, fastLayer, t.Type.String()+" TLV", fmt.Sprintf("%d bytes", len(t.Value)))
		}
	}
	if err != nil {
		c.b.Event(dir, at, fastLayer, "malformed TLV", err.Error())
	}
	if dir == flow.ServerToClient && finalSuccess && f.tunnel == "anonymous" {
		c.fastRefusedAuthz(at)
	}
}

// fastIdentityType follows EAP chaining's Identity-Type TLV: the server
// asks for an identity, the peer names the one it authenticates.
func (c *conversation) fastIdentityType(dir flow.Dir, x *eapfast.IdentityType, at flow.Ref) {
	f := c.fast
	if dir == flow.ServerToClient {
		c.fastInnerEnded()
		if !f.chaining {
			f.chaining = true
			c.step(dir, at, stepChaining, "the server asks for an identity type")
		}
		f.requested, f.answered, f.roundInner = x.Identity, 0, false
		switch x.Identity {
		case eapfast.IdentityUser:
			c.step(dir, at, stepIdentityUser, "")
		case eapfast.IdentityMachine:
			c.step(dir, at, stepIdentityMachine, "")
		default:
			c.b.Event(dir, at, fastLayer, "Identity-Type TLV", x.Identity.String())
		}
		return
	}
	f.answered = x.Identity
	if f.requested != 0 && x.Identity != f.requested {
		c.step(dir, at, stepIdentityMismatch, fmt.Sprintf("asked for %s, the peer answers %s", f.requested, x.Identity))
		if x.Identity == eapfast.IdentityMachine {
			c.step(dir, at, stepIdentitySuggested, "")
		}
		return
	}
	c.b.Event(dir, at, fastLayer, "Identity-Type TLV", "the peer answers "+x.Identity.String())
}

// fastInnerEnded closes the inner conversation of the round and notes the
// key it leaves for the next Crypto-Binding.
func (c *conversation) fastInnerEnded() {
	f := c.fast
	ic := c.inner
	if ic != nil && ic.ran {
		f.anyInner, f.roundInner = true, true
		f.isk, f.iskUnknown, f.iskWhy = nil, false, ""
		switch {
		case ic.method == eap.TypeMSCHAPv2:
			f.iskUnknown, f.iskWhy = true, "the inner EAP-MSCHAPv2 key needs the user's password"
		case ic.method == eap.TypeTLS && ic.obs != nil:
			s, ok := c.masterSecretOf(ic.obs.Current())
			var msk []byte
			if ok {
				msk, ok = eapTLSMSK(s)
			}
			if ok {
				f.isk = msk[:eapfast.ISKLen]
			} else {
				f.iskUnknown, f.iskWhy = true, "no key log line for the inner EAP-TLS handshake"
			}
		case ic.method == eap.TypeGTC || ic.method == eap.TypeMD5:
			// No key: ISK of zeros.
		default:
			f.iskUnknown, f.iskWhy = true, "the key of inner "+ic.name+" cannot be derived"
		}
	}
	c.commitInner()
}

// fastIntermediate follows an Intermediate-Result TLV: the server's verdict
// on the identity of the round: the one whose inner method ran, or, when
// none ran, the one it asked for.
func (c *conversation) fastIntermediate(dir flow.Dir, x *eapfast.IntermediateResult, at flow.Ref) {
	f := c.fast
	if dir == flow.ClientToServer {
		c.b.Event(dir, at, fastLayer, "Intermediate-Result TLV "+resultWord(x.Status), "the peer answers")
		return
	}
	ran := f.roundInner || c.inner != nil && c.inner.ran
	c.fastInnerEnded()
	who := f.requested
	if ran && f.answered != 0 {
		who = f.answered
	}
	ok := x.Status == eapfast.StatusSuccess
	if f.chaining && who >= eapfast.IdentityUser && who <= eapfast.IdentityMachine {
		if ok {
			f.slots[who] = slotPassed
		} else {
			f.slots[who] = slotFailed
		}
		if ran {
			f.ranFor[who] = true
		}
		switch {
		case ran && f.presentedAuthz[who]:
			c.step(dir, at, authzExpiredStep(who), "the peer presented it, and the inner method ran all the same")
			c.b.Evidence("fast.authz-pac-not-accepted", at.Frame)
			f.presentedAuthz[who] = false
		case ran && f.presentedUnknown > 0:
			f.expiry = append(f.expiry, expiryCandidate{who: who, frame: at.Frame, event: len(c.b.S.Timeline)})
			c.b.Event(dir, at, fastLayer, "inner method ran after the peer presented a PAC",
				"if the PAC was the "+who.String()+" Authorization PAC, the server did not accept it (server step "+fmt.Sprint(authzExpiredStep(who))+")")
		}
	}
	subject := "for the inner method"
	if f.chaining && who != 0 {
		subject = "for identity " + who.String()
	}
	if !ok {
		c.step(dir, at, stepIntermediateFailure, subject)
		c.b.Evidence("fast.intermediate-failure", at.Frame)
		return
	}
	c.b.Event(dir, at, fastLayer, "Intermediate-Result TLV success", subject)
}

// fastResult follows the server's Result TLV, the end of phase 2.
func (c *conversation) fastResult(x *eapfast.Result, at flow.Ref) {
	f := c.fast
	c.fastInnerEnded()
	f.final = x.Status
	if x.Status == eapfast.StatusSuccess {
		if !f.anyInner {
			c.step(flow.ServerToClient, at, stepInnerSkipped, "no inner method ran in the tunnel")
		}
		c.step(flow.ServerToClient, at, stepPhase2Succeeded, "Result TLV success")
		return
	}
	c.b.Event(flow.ServerToClient, at, fastLayer, "Result TLV "+resultWord(x.Status), "the server ends phase 2 in failure")
	c.b.Evidence("fast.result-failure", at.Frame)
}

// fastBinding follows a Crypto-Binding TLV: the server's request moves the
// S-IMCK chain and is checked against it; the peer's answer is verified
// with the same CMK, or, when the chain is unknown, judged by the server's
// reaction.
func (c *conversation) fastBinding(dir flow.Dir, x *eapfast.CryptoBinding, raw []byte, at flow.Ref) {
	f := c.fast
	if dir == flow.ServerToClient {
		f.bindings++
		f.nonce = x.Nonce
		f.cmk = nil
		why := "the tunnel's master secret is not known"
		if f.chain != nil {
			if f.iskUnknown {
				f.chain, why = nil, f.iskWhy
			} else {
				cmk := f.chain.Next(f.isk)
				if eapfast.VerifyCompoundMAC(cmk, raw) {
					f.cmk = cmk
				} else {
					f.chain, why = nil, "the Compound MAC does not verify with the keys derived here (an inner method key unknown to the analyzer)"
				}
			}
		}
		f.isk, f.iskUnknown = nil, false
		d := "Compound MAC checked with CMK[" + fmt.Sprint(chainStep(f)) + "]"
		if f.cmk == nil {
			d = "the Compound MAC cannot be checked: " + why + "; the server's reaction to the answer will tell"
		}
		c.b.Event(dir, at, fastLayer, "Crypto-Binding TLV request", d)
		return
	}
	if f.cmk == nil {
		f.awaitReaction = true
		c.b.Event(dir, at, fastLayer, "Crypto-Binding TLV response", "the peer answers")
		return
	}
	ok := x.SubType == eapfast.CryptoBindingResponse && eapfast.NoncesMatch(f.nonce, x.Nonce) && eapfast.VerifyCompoundMAC(f.cmk, raw)
	f.cmk = nil
	f.byMAC = true
	if ok {
		f.verified++
		c.step(dir, at, stepCryptobindingOK, "the peer's Compound MAC verifies")
		return
	}
	f.failed++
	c.b.Evidence("fast.cryptobinding-failed", at.Frame)
	c.b.Event(dir, at, fastLayer, "cryptobinding verification failed", "the peer's Compound MAC (or nonce) does not match the tunnel's keys: the inner method and the tunnel may not have the same ends")
}

func chainStep(f *fastState) int {
	if f.chain == nil {
		return 0
	}
	return f.chain.J
}

// fastReaction judges the peer's Crypto-Binding answer from what the
// server did next.
func (c *conversation) fastReaction(ok bool, at flow.Ref, what string) {
	f := c.fast
	if f.clientFailed {
		return
	}
	f.byReaction = true
	if ok {
		f.verified++
		c.step(flow.ServerToClient, at, stepCryptobindingOK, what+" goes on: the server accepted the peer's Crypto-Binding")
		return
	}
	f.failed++
	c.b.Evidence("fast.cryptobinding-failed", at.Frame)
	c.b.Event(flow.ServerToClient, at, fastLayer, "cryptobinding verification failed", what+" is a failure right after the peer's Crypto-Binding")
}

// fastOuterResult sees the EAP Success or Failure that ends an EAP-FAST
// conversation: the server's reaction to a Crypto-Binding answer still
// unjudged.
func (c *conversation) fastOuterResult(code eap.Code, at flow.Ref) {
	f := c.fast
	if f == nil || !f.awaitReaction {
		return
	}
	f.awaitReaction = false
	c.fastReaction(code == eap.CodeSuccess, at, "EAP-"+code.String())
}

// fastPAC follows a PAC TLV: provisioned by the server, presented,
// requested or acknowledged by the peer.
func (c *conversation) fastPAC(dir flow.Dir, p *eapfast.PAC, at flow.Ref) {
	f := c.fast
	if dir == flow.ServerToClient {
		if p.Key == nil && p.Opaque == nil {
			c.b.Event(dir, at, fastLayer, "PAC TLV", "without PAC-Key or PAC-Opaque")
			return
		}
		typ := p.Type
		if p.Info != nil && p.Info.Type != 0 {
			typ = p.Info.Type
		}
		if typ == 0 {
			typ = eapfast.PACTypeTunnel
		}
		if len(p.Opaque) > 0 && c.t.opt.Decrypt != nil {
			var key []byte
			if len(p.Key) == eapfast.PACKeyLen {
				key = p.Key
			}
			c.t.opt.Decrypt.PACs.Add(p.Opaque, PACEntry{Type: typ, Key: key, Source: PACFromCapture})
		}
		seen := report.PACSeen{Event: report.PACProvisioned, Frame: at.Frame, Type: typ.ReportName(), OpaqueLength: len(p.Opaque)}
		if len(p.Opaque) > 0 {
			seen.OpaqueSHA256 = report.Str(opaqueDigest(p.Opaque))
		}
		if p.Key != nil {
			k := report.Redacted
			if c.t.opt.ShowSecrets {
				k = hex.EncodeToString(p.Key)
			}
			seen.Key = &k
		}
		if i := p.Info; i != nil {
			seen.AID = report.Str(hex.EncodeToString(i.AID))
			seen.AIDInfo = report.Str(printable(i.AIDInfo))
			seen.IID = report.Str(printable(i.IID))
			if exp := i.Expiry(); !exp.IsZero() {
				seen.Expires = report.Str(exp.UTC().Format("2006-01-02T15:04:05Z"))
			}
		}
		if idx := f.addPAC(seen); idx >= 0 {
			f.awaitingAck = append(f.awaitingAck, idx)
		}
		f.delivered++
		if f.tunnel == "certificate" && f.tunnelEvent >= 0 {
			c.retitleCertificateTunnel(stepAuthenticatedTunnel)
		}
		detail := typ.String() + ", PAC-Opaque " + fmt.Sprint(len(p.Opaque)) + " bytes, PAC-Key " + report.Redacted
		if seen.IID != nil {
			detail += fmt.Sprintf(", I-ID %q", *seen.IID)
		}
		if seen.Expires != nil {
			detail += ", expires " + *seen.Expires
		}
		c.b.Event(dir, at, fastLayer, "PAC provisioned", detail)
		return
	}
	switch {
	case p.Ack != 0:
		ok := p.Ack == eapfast.StatusSuccess
		if len(f.awaitingAck) == 0 {
			c.b.Event(dir, at, fastLayer, "PAC-Acknowledgement "+resultWord(p.Ack), "for no PAC seen")
			return
		}
		idx := f.awaitingAck[0]
		f.awaitingAck = f.awaitingAck[1:]
		seen := &f.pacs[idx]
		seen.Acknowledged = report.Bool(ok)
		if !ok {
			c.b.Event(dir, at, fastLayer, "PAC-Acknowledgement failure", "the peer refuses the "+seen.Type+" PAC")
			return
		}
		f.acked = append(f.acked, seen.Type)
		code := map[string]int{"tunnel": stepTunnelPACDone, "machine": stepMachinePACDone,
			"user-authorization": stepUserAuthzPACDone, "machine-authorization": stepMachineAuthzPACDone}[seen.Type]
		if code != 0 {
			c.step(dir, at, code, "the peer acknowledges the PAC")
		} else {
			c.b.Event(dir, at, fastLayer, "PAC-Acknowledgement success", seen.Type+" PAC")
		}
	case len(p.Opaque) > 0 && p.Key == nil:
		name := "unknown"
		e, known := c.t.opt.Decrypt.lookupPAC(p.Opaque)
		if known {
			name = e.Type.ReportName()
		}
		f.presented = append(f.presented, name)
		seen := report.PACSeen{Event: report.PACPresented, Frame: at.Frame, Type: name,
			OpaqueLength: len(p.Opaque), OpaqueSHA256: report.Str(opaqueDigest(p.Opaque))}
		if known {
			seen.IdentifiedBy = report.Str(identifiedBy(e.Source))
		}
		f.presentedIdx = append(f.presentedIdx, f.addPAC(seen))
		switch {
		case known && e.Type == eapfast.PACTypeUserAuthorization:
			f.presentedAuthz[eapfast.IdentityUser] = true
			c.step(dir, at, stepUserAuthzPAC, "")
		case known && e.Type == eapfast.PACTypeMachineAuthorization:
			f.presentedAuthz[eapfast.IdentityMachine] = true
			c.step(dir, at, stepMachineAuthzPAC, "")
		case !known:
			f.presentedUnknown++
			c.b.Event(dir, at, fastLayer, "PAC presented", fmt.Sprintf("PAC-Opaque of %d bytes that no PAC file or provisioning in the capture identifies", len(p.Opaque)))
		default:
			c.b.Event(dir, at, fastLayer, "PAC presented", e.Type.String())
		}
	case p.Type != 0 || p.Info != nil && p.Info.Type != 0:
		typ := p.Type
		if typ == 0 {
			typ = p.Info.Type
		}
		if len(f.requestedTypes) < maxPACsSeen {
			f.requestedTypes = append(f.requestedTypes, typ)
		}
		f.addPAC(report.PACSeen{Event: report.PACRequested, Frame: at.Frame, Type: typ.ReportName()})
		c.b.Event(dir, at, fastLayer, "PAC requested", "the peer asks for a "+typ.String())
	default:
		c.b.Event(dir, at, fastLayer, "PAC TLV", "empty")
	}
}

// fastRefusedAuthz notes authorization PACs the peer asked for that an
// anonymous provisioning tunnel did not deliver.
func (c *conversation) fastRefusedAuthz(at flow.Ref) {
	f := c.fast
	delivered := map[string]bool{}
	for _, p := range f.pacs {
		if p.Event == report.PACProvisioned {
			delivered[p.Type] = true
		}
	}
	for _, t := range f.requestedTypes {
		if (t == eapfast.PACTypeUserAuthorization || t == eapfast.PACTypeMachineAuthorization) && !delivered[t.ReportName()] {
			c.step(flow.ServerToClient, at, stepNoAuthzOnAnonymous, "the peer asked for a "+t.String()+"; Authorization PACs are provisioned only in authenticated tunnels")
			c.b.Evidence("fast.authz-pac-refused", at.Frame)
		}
	}
}

// retitleCertificateTunnel names the certificate tunnel's step once phase 2
// shows which it was.
func (c *conversation) retitleCertificateTunnel(code int) {
	f := c.fast
	if f.tunnelEvent < 0 || f.tunnelEvent >= len(c.b.S.Timeline) {
		return
	}
	e := &c.b.S.Timeline[f.tunnelEvent]
	e.Event = stepText[code]
	e.Detail = fmt.Sprintf("server step %d: certificate tunnel", code)
	f.tunnelEvent = -1
}

// printable returns b as text when it is printable ASCII, else as hex.
func printable(b []byte) string {
	for _, x := range b {
		if x < 0x20 || x > 0x7e {
			return hex.EncodeToString(b)
		}
	}
	return string(b)
}

func authzExpiredStep(who eapfast.Identity) int {
	if who == eapfast.IdentityMachine {
		return stepMachineAuthzExpired
	}
	return stepUserAuthzExpired
}

// identifiedBy names how a PAC's type was learnt, for PACSeen.IdentifiedBy.
func identifiedBy(source string) string {
	if source == PACFromFile {
		return report.PACByFile
	}
	return report.PACByCapture
}

// fastFinish ends phase 2 when the conversation closes: PACs presented
// inside the tunnel that nothing identified get the type the server's
// handling shows, and the certificate tunnel its step.
func (c *conversation) fastFinish() {
	f := c.fast
	if f == nil {
		return
	}
	if c.decrypted {
		c.inferPresented()
		if f.tunnelEvent >= 0 {
			c.retitleCertificateTunnel(stepPACLessTunnel)
		}
	}
}

// inferPresented types the PACs a peer presented inside the tunnel that no
// PAC file or earlier provisioning identifies. Inside the tunnel a peer
// presents only Authorization PACs, one per identity of the chaining
// (Tunnel and Machine PACs go in the ClientHello). The server's handling
// tells which identities had one: an identity that passed without an
// inner method was authorized by its PAC; an identity whose inner method
// ran and whose Authorization PAC the server then provisioned anew had
// presented one the server did not accept (expired). When these
// identities are exactly as many as the unknown PACs, the PACs are of
// their types (in the order User, Machine); otherwise they stay unknown.
func (c *conversation) inferPresented() {
	f := c.fast
	if !f.chaining || f.presentedUnknown == 0 {
		return
	}
	reprovisioned := map[string]bool{}
	for _, t := range f.acked {
		reprovisioned[t] = true
	}
	var cands []eapfast.Identity
	expired := map[eapfast.Identity]bool{}
	for _, id := range []eapfast.Identity{eapfast.IdentityUser, eapfast.IdentityMachine} {
		typ := eapfast.PACTypeUserAuthorization
		if id == eapfast.IdentityMachine {
			typ = eapfast.PACTypeMachineAuthorization
		}
		if f.presentedAuthz[id] {
			continue // identified already
		}
		accepted := f.final == eapfast.StatusSuccess && f.slots[id] == slotUnknown && !f.ranFor[id]
		replaced := f.ranFor[id] && reprovisioned[typ.ReportName()]
		if accepted || replaced {
			cands = append(cands, id)
			expired[id] = replaced
		}
	}
	if len(cands) != f.presentedUnknown {
		return
	}
	k := 0
	for i, name := range f.presented {
		if name != "unknown" || k >= len(cands) {
			continue
		}
		id := cands[k]
		k++
		typ := eapfast.PACTypeUserAuthorization
		if id == eapfast.IdentityMachine {
			typ = eapfast.PACTypeMachineAuthorization
		}
		f.presented[i] = typ.ReportName()
		if idx := f.presentedIdx[i]; idx >= 0 {
			f.pacs[idx].Type = typ.ReportName()
			f.pacs[idx].IdentifiedBy = report.Str(report.PACByInference)
		}
		f.presentedAuthz[id] = true
		f.presentedUnknown--
		if !expired[id] {
			continue
		}
		for _, x := range f.expiry {
			if x.who != id {
				continue
			}
			c.b.Evidence("fast.authz-pac-not-accepted", x.frame)
			if x.event < len(c.b.S.Timeline) {
				e := &c.b.S.Timeline[x.event]
				e.Event = stepText[authzExpiredStep(id)]
				e.Detail = fmt.Sprintf("server step %d: the peer presented the %s (type inferred: the server ran the inner method, then provisioned a new one)", authzExpiredStep(id), typ)
			}
		}
	}
}

func identifiedWords(source string) string {
	if source == PACFromFile {
		return "the PAC file"
	}
	return "a provisioning earlier in the capture"
}
