package tls

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// corpusSessions analyses every TLS/DTLS capture of the corpus and indexes
// the sessions by "client>server" endpoints.
func corpusSessions(t *testing.T, dir string) (map[string]*session, map[string][]*session) {
	t.Helper()
	byTuple := map[string]*session{}
	byFile := map[string][]*session{}
	for _, row := range readManifest(t, dir) {
		if !row.has("tls") && !row.has("dtls") {
			continue
		}
		a := analyzeCapture(t, filepath.Join(dir, row.File))
		byFile[row.File] = a.Sessions
		for _, s := range a.Sessions {
			byTuple[s.Client+">"+s.Server] = s
		}
	}
	return byTuple, byFile
}

// zeekVersion spells a version as Zeek's ssl.log does.
func zeekVersion(v Version) string {
	switch v {
	case VersionSSL20:
		return "SSLv2"
	case VersionSSL30:
		return "SSLv3"
	case VersionTLS10:
		return "TLSv10"
	case VersionTLS11:
		return "TLSv11"
	case VersionTLS12:
		return "TLSv12"
	case VersionTLS13:
		return "TLSv13"
	case VersionDTLS10:
		return "DTLSv10"
	case VersionDTLS12:
		return "DTLSv12"
	case VersionDTLS13:
		return "DTLSv13"
	}
	if d, ok := v.tls13Draft(); ok && v>>8 == 0x7f {
		return fmt.Sprintf("TLSv13-draft%d", d)
	}
	return fmt.Sprintf("unknown-%d", uint16(v))
}

type zeekRow map[string]string

func readZeekLog(t *testing.T, path string) []zeekRow {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	var rows []zeekRow
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "#fields\t") {
			fields = strings.Split(line, "\t")[1:]
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") || fields == nil {
			continue
		}
		r := zeekRow{}
		for i, v := range strings.Split(line, "\t") {
			if i < len(fields) {
				r[fields[i]] = v
			}
		}
		rows = append(rows, r)
	}
	return rows
}

func zeekValue(s string) string {
	if s == "-" || s == "(empty)" {
		return ""
	}
	return s
}

// TestCorpusAgainstZeek compares our sessions with Zeek's ssl.log
// baselines: version, cipher (IANA spelling), curve, server_name,
// resumption, last alert, the certificate chain fingerprints and, where
// the log has them, subject and issuer.
func TestCorpusAgainstZeek(t *testing.T) {
	dir := corpusDir(t)
	byTuple, _ := corpusSessions(t, dir)
	logs, _ := filepath.Glob(filepath.Join(dir, "zeek", "Baseline", "*", "ssl*.log"))
	matched := 0
	for _, logPath := range logs {
		rel, _ := filepath.Rel(dir, logPath)
		for _, r := range readZeekLog(t, logPath) {
			port := func(p string) uint16 { n, _ := strconv.Atoi(p); return uint16(n) }
			key := endpoint(net.ParseIP(r["id.orig_h"]), port(r["id.orig_p"])) + ">" + endpoint(net.ParseIP(r["id.resp_h"]), port(r["id.resp_p"]))
			s := byTuple[key]
			if s == nil {
				// Zeek's originator is whoever sent the first packet;
				// in WebRTC that need not be the DTLS client.
				s = byTuple[reverseTuple(key)]
			}
			if s == nil {
				t.Logf("%s: %s not in the corpus captures", rel, key)
				continue
			}
			matched++
			known := knownZeekDifferences[rel+" "+key]
			for _, d := range compareZeekRow(s, r) {
				field, _, _ := strings.Cut(d, ":")
				if strings.Contains(" "+known.fields+" ", " "+field+" ") {
					t.Logf("%s %s: %s (known: %s)", rel, key, d, known.why)
					continue
				}
				t.Errorf("%s %s: %s", rel, key, d)
			}
		}
	}
	t.Logf("%d ssl.log rows compared", matched)
	if matched < 20 {
		t.Errorf("only %d ssl.log rows matched a corpus session", matched)
	}
}

func reverseTuple(key string) string {
	a, b, _ := strings.Cut(key, ">")
	return b + ">" + a
}

// knownZeekDifference names fields of one ssl.log row we cannot match,
// with the reason.
type knownZeekDifference struct{ fields, why string }

var knownZeekDifferences = map[string]knownZeekDifference{
	"zeek/Baseline/scripts.base.protocols.ssl.fragment/ssl.log 192.168.6.86:61454>104.236.167.107:4433": {
		fields: "cert_chain_fps subject issuer",
		why:    "the server's Certificate message is 339629 bytes, beyond dissect.MaxTLSHandshakeMessage, so it is dropped (CapExceeded) and there is no chain to read",
	},
	"zeek/Baseline/scripts.base.protocols.ssl.tls13-experiment/ssl.log 192.168.0.2:62873>104.196.219.53:443": {
		fields: "resumed",
		why:    "Google's TLS 1.3 experiment 1 (0x7e01) echoes the legacy session ID for middlebox compatibility; Zeek applies its TLS 1.2 rule (same ID = resumed), but neither hello carries pre_shared_key: a full handshake",
	},
}

func compareZeekRow(s *session, r zeekRow) []string {
	var diffs []string
	check := func(field, got string) {
		if want := zeekValue(r[field]); got != want {
			diffs = append(diffs, fmt.Sprintf("%s: got %q, Zeek %q", field, got, want))
		}
	}
	var version, cipher, curve, sni string
	if s.ServerHello != nil {
		version = zeekVersion(s.ServerHello.NegotiatedVersion())
		cipher = CipherSuiteName(s.ServerHello.CipherSuite)
		curve = sessionCurve(s)
	}
	if s.ClientHello != nil {
		sni = s.ClientHello.ServerName
	}
	check("version", version)
	check("cipher", cipher)
	check("curve", curve)
	check("server_name", sni)
	if _, ok := r["resumed"]; ok {
		check("resumed", map[bool]string{true: "T", false: "F"}[sessionResumed(s)])
	}
	if want := zeekValue(r["last_alert"]); want != "" || len(s.Alerts) > 0 {
		got := ""
		if len(s.Alerts) > 0 {
			got = DescriptionName(s.Alerts[len(s.Alerts)-1].Description)
		}
		check("last_alert", got)
	}
	if want := zeekValue(r["cert_chain_fps"]); want != "" || len(s.ServerCerts) > 0 {
		check("cert_chain_fps", chainFingerprints(s.ServerCerts))
	}
	if want := zeekValue(r["client_cert_chain_fps"]); want != "" || len(s.ClientCerts) > 0 {
		check("client_cert_chain_fps", chainFingerprints(s.ClientCerts))
	}
	if _, ok := r["subject"]; ok {
		var subj, iss, csubj, ciss string
		if len(s.ServerCerts) > 0 {
			sum := SummarizeCertificate(s.ServerCerts[0])
			subj, iss = sum.Subject, sum.Issuer
		}
		if len(s.ClientCerts) > 0 {
			sum := SummarizeCertificate(s.ClientCerts[0])
			csubj, ciss = sum.Subject, sum.Issuer
		}
		check("subject", subj)
		check("issuer", iss)
		check("client_subject", csubj)
		check("client_issuer", ciss)
	}
	return diffs
}

func chainFingerprints(certs [][]byte) string {
	var fps []string
	for _, c := range certs {
		fps = append(fps, SummarizeCertificate(c).SHA256)
	}
	return strings.Join(fps, ",")
}

// sessionCurve is the ECDHE group: the key_share group of a TLS 1.3
// ServerHello, else the named curve of the ServerKeyExchange.
func sessionCurve(s *session) string {
	if s.ServerHello.KeyShareGroup != 0 {
		return NamedGroupName(s.ServerHello.KeyShareGroup)
	}
	info, ok := CipherSuiteInfo(s.ServerHello.CipherSuite)
	if !ok {
		return ""
	}
	for _, m := range s.Messages {
		if m.Type == HandshakeTypeServerKeyExchange {
			if p, err := ParseServerKeyExchange(m.Body, info.KeyExchange, s.version()); err == nil && p.NamedGroup != 0 {
				return NamedGroupName(p.NamedGroup)
			}
		}
	}
	return ""
}

// sessionResumed says whether the handshake resumed a session: in TLS 1.3
// the server selected a PSK; before, the server echoed the offered session
// ID, or the client offered a ticket and the server sent no Certificate.
func sessionResumed(s *session) bool {
	if s.ServerHello == nil || s.ClientHello == nil {
		return false
	}
	if s.ServerHello.NegotiatedVersion().IsTLS13() {
		return s.ServerHello.HasSelectedPSK
	}
	if s.ServerHello.ResumesSession(s.ClientHello) {
		return true
	}
	if len(s.ClientHello.SessionTicket) > 0 {
		for _, m := range s.Messages {
			if m.FromServer && m.Type == HandshakeTypeCertificate {
				return false
			}
		}
		return true
	}
	return false
}
