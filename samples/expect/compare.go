package expect

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sessionscope/sscope/correlate/report"
)

// Status is the result of one checked field.
type Status int

// Statuses, from best to worst.
const (
	Pass Status = iota
	// NotSupported: a verdict that needs keys, from a tunnel the report
	// says was not decrypted; a difference is listed, not failed.
	NotSupported
	Fail
)

func (s Status) String() string {
	switch s {
	case Pass:
		return "pass"
	case NotSupported:
		return "n/s"
	default:
		return "FAIL"
	}
}

// Check is one compared field.
type Check struct {
	Column string // table column (group of fields)
	Field  string // report field path, e.g. "tls_handshakes[1].kind"
	Item   string // which session / handshake, e.g. "session 2"
	Want   string
	Got    string
	Status Status
	Reason string // for NotSupported: what the verdict needs
}

// Columns are the table's columns in order.
var Columns = []string{
	"sessions", "outcome", "method", "identity", "radius", "inner",
	"hs.kind", "hs.resume", "hs.ids", "hs.suite", "hs.cert", "hs.reneg", "hs.alert",
	"peap", "fast.tunnel", "fast.pacs", "fast.chain", "findings",
}

// comparer collects the checks of one sample.
type comparer struct {
	checks    []Check
	decrypted bool
}

func (c *comparer) add(column, item, field, want, got string) {
	st := Pass
	reason := ""
	if want != got {
		st = Fail
		if r, ok := notSupported(field, c.decrypted); ok {
			st, reason = NotSupported, r
		}
	}
	c.checks = append(c.checks, Check{Column: column, Field: field, Item: item, Want: want, Got: got, Status: st, Reason: reason})
}

// addUnseeable records a field only a decrypting analyzer can check.
func (c *comparer) addUnseeable(column, item, field, want string) {
	c.checks = append(c.checks, Check{Column: column, Field: field, Item: item, Want: want, Got: "(encrypted)",
		Status: NotSupported, Reason: "inside the TLS tunnel: needs decryption"})
}

// Compare checks every expected verdict of s against r.
func Compare(s *Sample, r *report.Report) []Check {
	c := &comparer{}
	var got []*report.Session
	for _, ss := range r.Sessions {
		if ss.Kind == report.KindRADIUSEAP || ss.Kind == report.KindTLS || ss.Kind == report.KindDTLS {
			got = append(got, ss)
		}
	}
	slices.SortStableFunc(got, func(a, b *report.Session) int { return int(a.FirstFrame) - int(b.FirstFrame) })
	c.add("sessions", "report", "sessions", kinds(s.Sessions), reportKinds(got))
	for i := range s.Sessions {
		if i >= len(got) {
			break
		}
		c.session(fmt.Sprintf("session %d", i+1), &s.Sessions[i], got[i])
	}
	ids := map[string]bool{}
	for _, f := range r.Findings {
		ids[f.ID] = true
	}
	for _, id := range s.Findings {
		c.add("findings", "report", "finding "+id, id, present(ids[id], id))
	}
	for _, id := range s.Absent {
		c.add("findings", "report", "findings (absent)", "no "+id, absentStr(ids[id], id))
	}
	return c.checks
}

func present(ok bool, id string) string {
	if ok {
		return id
	}
	return "missing"
}

func absentStr(found bool, id string) string {
	if found {
		return id
	}
	return "no " + id
}

func kinds(ss []Session) string {
	var k []string
	for _, s := range ss {
		k = append(k, s.Kind)
	}
	return strings.Join(k, ",")
}

func reportKinds(ss []*report.Session) string {
	var k []string
	for _, s := range ss {
		k = append(k, s.Kind)
	}
	return strings.Join(k, ",")
}

func (c *comparer) session(item string, want *Session, got *report.Session) {
	c.decrypted = got.EAP != nil && got.EAP.Decrypted
	c.add("outcome", item, "outcome", want.Outcome, got.Outcome)
	if want.ClientIP != "" {
		c.add("sessions", item, "client.ip", want.ClientIP, got.Client.IP)
		c.add("sessions", item, "server.ip", want.ServerIP, got.Server.IP)
	}
	if want.EAP != nil {
		c.eap(item, want.EAP, got.EAP)
	}
	c.handshakes(item, want.Handshakes, got.Handshakes)
	ids := map[string]bool{}
	for _, f := range got.Findings {
		ids[f.ID] = true
	}
	for _, id := range want.Findings {
		c.add("findings", item, "finding "+id, id, present(ids[id], id))
	}
}

func (c *comparer) eap(item string, want *EAP, got *report.EAP) {
	if got == nil {
		c.add("method", item, "eap", want.Method, "(no eap object)")
		return
	}
	c.add("method", item, "eap.method", want.Method, got.Method)
	c.add("identity", item, "eap.outer_identity", str(want.OuterIdentity), str(got.OuterIdentity))
	c.add("inner", item, "eap.inner_methods", list(want.InnerMethods), list(got.InnerMethods))
	c.add("inner", item, "eap.inner_identities", list(want.InnerIdentities), list(got.InnerIdentities))
	c.add("radius", item, "eap.radius.final_code", str(want.FinalCode), str(got.RADIUS.FinalCode))
	c.add("radius", item, "eap.radius.calling_station_id", str(want.CallingStation), str(got.RADIUS.CallingStationID))
	c.add("radius", item, "eap.radius.nas_ip", str(want.NASIP), str(got.RADIUS.NASIP))
	c.add("radius", item, "eap.radius.audit_session_id", str(want.AuditSessionID), str(got.RADIUS.AuditSessionID))
	c.add("radius", item, "eap.radius.requests", fmt.Sprint(want.Requests), fmt.Sprint(got.RADIUS.Requests))
	c.add("radius", item, "eap.radius.retransmissions", fmt.Sprint(want.Retransmissions), fmt.Sprint(got.RADIUS.Retransmissions))
	if want.PEAP != nil {
		if got.PEAP == nil {
			c.add("peap", item, "eap.peap", "present", "null")
		} else {
			c.add("peap", item, "eap.peap.version", fmt.Sprint(want.PEAP.Version), intp(got.PEAP.Version))
			c.add("peap", item, "eap.peap.fast_reconnect", boolp(want.PEAP.FastReconnect), boolp(got.PEAP.FastReconnect))
		}
	}
	if want.FAST != nil {
		c.fast(item, want.FAST, got.FAST)
	}
}

func (c *comparer) fast(item string, want *FAST, got *report.FAST) {
	if got == nil {
		c.add("fast.tunnel", item, "eap.fast", "present", "null")
		return
	}
	c.add("fast.tunnel", item, "eap.fast.tunnel", str(want.Tunnel), str(got.Tunnel))
	c.add("fast.tunnel", item, "eap.fast.provisioning", str(want.Provisioning), str(got.Provisioning))
	c.add("fast.tunnel", item, "eap.fast.pac_in_client_hello", str(want.PACInClientHello), str(got.PACInClientHello))
	c.add("fast.pacs", item, "eap.fast.pacs_presented", list(want.PACsPresented), list(got.PACsPresented))
	c.add("fast.pacs", item, "eap.fast.pacs_provisioned", list(want.PACsProvisioned), list(got.PACsProvisioned))
	c.add("fast.chain", item, "eap.fast.chaining", want.Chaining, got.Chaining)
	c.add("fast.chain", item, "eap.fast.cryptobinding", str(want.Cryptobinding), str(got.Cryptobinding))
}

// handshakes pairs the handshakes in the clear with the report's
// non-renegotiation handshakes, and the tunnelled ones with its
// renegotiations, each in order.
func (c *comparer) handshakes(item string, want []Handshake, got []report.TLSHandshake) {
	var clearW, tunW []Handshake
	for _, h := range want {
		if h.Encrypted {
			tunW = append(tunW, h)
		} else {
			clearW = append(clearW, h)
		}
	}
	var clearG, tunG []report.TLSHandshake
	for _, h := range got {
		if h.Renegotiation {
			tunG = append(tunG, h)
		} else {
			clearG = append(clearG, h)
		}
	}
	c.add("hs.kind", item, "tls_handshakes (count)", fmt.Sprint(len(clearW)), fmt.Sprint(len(clearG)))
	for i := range clearW {
		if i >= len(clearG) {
			break
		}
		c.handshake(fmt.Sprintf("%s handshake %d", item, i+1), &clearW[i], &clearG[i])
	}
	if len(tunW) > 0 || len(tunG) > 0 {
		c.add("hs.reneg", item, "tls_handshakes[renegotiation] (count)", fmt.Sprint(len(tunW)), fmt.Sprint(len(tunG)))
	}
	for i := range tunW {
		hi := fmt.Sprintf("%s renegotiation %d", item, i+1)
		if i < len(tunG) && c.decrypted {
			c.handshake(hi, &tunW[i], &tunG[i])
			continue
		}
		c.addUnseeable("hs.kind", hi, "tls_handshakes[].kind", tunW[i].Kind)
		c.addUnseeable("hs.cert", hi, "tls_handshakes[].client_certificate", tunW[i].ClientCertificate)
	}
}

func (c *comparer) handshake(item string, want *Handshake, got *report.TLSHandshake) {
	c.add("hs.kind", item, "tls_handshakes[].version", want.Version, got.Version)
	c.add("hs.kind", item, "tls_handshakes[].kind", want.Kind, got.Kind)
	c.add("hs.resume", item, "tls_handshakes[].resumption", str(want.Resumption), str(got.Resumption))
	c.add("hs.resume", item, "tls_handshakes[].offered.session_id", want.OfferedSessionID, got.Offered.SessionID)
	c.add("hs.resume", item, "tls_handshakes[].offered.ticket", fmt.Sprint(want.OfferedTicket), fmt.Sprint(got.Offered.Ticket))
	c.add("hs.resume", item, "tls_handshakes[].offered.pac_opaque", fmt.Sprint(want.OfferedPACOpaque), fmt.Sprint(got.Offered.PACOpaque))
	c.add("hs.resume", item, "tls_handshakes[].resumption_refused", fmt.Sprint(want.ResumptionRefused), boolp(got.ResumptionRefused))
	c.add("hs.ids", item, "tls_handshakes[].client_session_id", want.ClientSessionID, got.ClientSessionID)
	c.add("hs.ids", item, "tls_handshakes[].server_session_id", want.ServerSessionID, got.ServerSessionID)
	if want.FirstFrame != 0 {
		c.add("hs.ids", item, "tls_handshakes[].first_frame", fmt.Sprint(want.FirstFrame), fmt.Sprint(got.FirstFrame))
	}
	c.add("hs.suite", item, "tls_handshakes[].cipher_suite", str(want.CipherSuite), str(got.CipherSuite))
	c.add("hs.suite", item, "tls_handshakes[].anonymous", fmt.Sprint(want.Anonymous), fmt.Sprint(got.Anonymous))
	c.add("hs.cert", item, "tls_handshakes[].client_certificate", want.ClientCertificate, got.ClientCertificate)
	c.add("hs.reneg", item, "tls_handshakes[].renegotiation", fmt.Sprint(want.Renegotiation), fmt.Sprint(got.Renegotiation))
	gotAlert := "null"
	if got.Alert != nil {
		gotAlert = got.Alert.Description
	}
	c.add("hs.alert", item, "tls_handshakes[].alert", str(want.Alert), gotAlert)
}

func str(p *string) string {
	if p == nil {
		return "null"
	}
	return *p
}

func boolp(p *bool) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func intp(p *int) string {
	if p == nil {
		return "null"
	}
	return fmt.Sprint(*p)
}

func list(l []string) string { return "[" + strings.Join(l, ",") + "]" }
