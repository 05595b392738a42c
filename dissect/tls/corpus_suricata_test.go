package tls

import (
	"crypto/sha1"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// suricataFilter is one "filter:" block of a suricata-verify test.yaml.
type suricataFilter struct {
	count    int
	requires bool
	match    map[string]string
}

// readSuricataFilters reads the filter blocks of a test.yaml with a small
// line parser (the files use a fixed layout) and the capture it names.
func readSuricataFilters(t *testing.T, path string) (pcap string, filters []suricataFilter) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var cur *suricataFilter
	inMatch := false
	for _, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "pcap:"):
			pcap = strings.TrimSpace(strings.TrimPrefix(line, "pcap:"))
		case strings.HasPrefix(trimmed, "- filter:"):
			filters = append(filters, suricataFilter{match: map[string]string{}})
			cur, inMatch = &filters[len(filters)-1], false
		case strings.HasPrefix(trimmed, "- "):
			cur, inMatch = nil, false
		case cur == nil:
		case strings.HasPrefix(trimmed, "requires:"):
			cur.requires = true
		case strings.HasPrefix(trimmed, "count:"):
			cur.count, _ = strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(trimmed, "count:")))
		case trimmed == "match:":
			inMatch = true
		case inMatch && strings.Contains(trimmed, ": "):
			k, v, _ := strings.Cut(trimmed, ": ")
			cur.match[k] = strings.Trim(v, `"'`)
		}
	}
	return pcap, filters
}

// suricataName renders a certificate name the way Suricata's eve log does:
// certificate order, ", " between attributes, "Email" for emailAddress.
func suricataName(attrs []NameAttribute) string {
	var parts []string
	for _, a := range attrs {
		typ := a.Type
		if typ == "emailAddress" {
			typ = "Email"
		}
		parts = append(parts, typ+"="+a.Value)
	}
	return strings.Join(parts, ", ")
}

func colonHex(h string) string {
	var parts []string
	for i := 0; i+2 <= len(h); i += 2 {
		parts = append(parts, h[i:i+2])
	}
	return strings.Join(parts, ":")
}

// suricataFields renders one session as the eve "tls" fields we can
// produce.
func suricataFields(s *session) map[string]string {
	f := map[string]string{"event_type": "tls", "tls.version": s.version().String()}
	if s.ClientHello != nil && s.ClientHello.ServerName != "" {
		f["tls.sni"] = s.ClientHello.ServerName
	}
	if len(s.ServerCerts) > 0 {
		sum := SummarizeCertificate(s.ServerCerts[0])
		f["tls.subject"] = suricataName(sum.SubjectAttributes)
		f["tls.issuerdn"] = suricataName(sum.IssuerAttributes)
		f["tls.serial"] = colonHex(sum.SerialHex)
		fp := sha1.Sum(s.ServerCerts[0])
		f["tls.fingerprint"] = colonHex(strings.ToLower(hexString(fp[:])))
		f["tls.notbefore"] = sum.NotBefore.UTC().Format("2006-01-02T15:04:05")
		f["tls.notafter"] = sum.NotAfter.UTC().Format("2006-01-02T15:04:05")
		if len(sum.DNSNames) > 0 {
			f["tls.subjectaltname[0]"] = sum.DNSNames[0]
		}
	}
	if len(s.ClientCerts) > 0 {
		sum := SummarizeCertificate(s.ClientCerts[0])
		f["tls.client.serial"] = colonHex(sum.SerialHex)
		f["tls.client.notbefore"] = sum.NotBefore.UTC().Format("2006-01-02T15:04:05")
		f["tls.client.notafter"] = sum.NotAfter.UTC().Format("2006-01-02T15:04:05")
	}
	return f
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// suricataComparable lists the eve keys this test can check.
var suricataComparable = map[string]bool{
	"event_type": true, "tls.sni": true, "tls.subject": true, "tls.issuerdn": true, "tls.serial": true,
	"tls.fingerprint": true, "tls.notbefore": true, "tls.notafter": true, "tls.subjectaltname[0]": true,
	"tls.client.serial": true, "tls.client.notbefore": true, "tls.client.notafter": true, "tls.version": true,
}

// suricataVersion maps the version spelling of older Suricata releases
// ("TLSv1", "TLSv1.2") to the current one ("TLS 1.0", "TLS 1.2"), and its
// draft spelling "TLS 1.3 draft-19" to ours.
func suricataVersion(v string) string {
	switch v {
	case "SSLv3":
		return "SSL 3.0"
	case "TLSv1":
		return "TLS 1.0"
	case "TLSv1.1":
		return "TLS 1.1"
	case "TLSv1.2":
		return "TLS 1.2"
	case "TLSv1.3":
		return "TLS 1.3"
	}
	if d, ok := strings.CutPrefix(v, "TLS 1.3 draft-"); ok {
		return "TLS 1.3 (draft " + d + ")"
	}
	return v
}

// TestCorpusAgainstSuricata checks the certificate and SNI fields that
// suricata-verify expects in its tls events: the number of sessions whose
// fields all match must equal the filter's count.
func TestCorpusAgainstSuricata(t *testing.T) {
	dir := corpusDir(t)
	yamls, _ := filepath.Glob(filepath.Join(dir, "suricata-verify", "*", "test.yaml"))
	more, _ := filepath.Glob(filepath.Join(dir, "suricata-verify", "*", "*", "test.yaml"))
	yamls = append(yamls, more...)
	checked := 0
	for _, y := range yamls {
		pcapRef, filters := readSuricataFilters(t, y)
		testDir := filepath.Dir(y)
		var capPath string
		if pcapRef != "" {
			capPath = filepath.Join(testDir, pcapRef)
		} else {
			caps, _ := filepath.Glob(filepath.Join(testDir, "*.pcap"))
			if len(caps) != 1 {
				continue
			}
			capPath = caps[0]
		}
		for _, flt := range filters {
			// requires: names the Suricata versions that emit a field;
			// the values are facts about the capture either way.
			if flt.match["event_type"] != "tls" {
				continue
			}
			usable := len(flt.match) > 1
			for k := range flt.match {
				if !suricataComparable[k] {
					usable = false
				}
			}
			if !usable {
				continue
			}
			if _, err := os.Stat(capPath); err != nil {
				t.Errorf("%s: capture %s: %v", y, capPath, err)
				continue
			}
			a := analyzeCapture(t, capPath)
			n := 0
			for _, s := range a.Sessions {
				f := suricataFields(s)
				ok := true
				for k, v := range flt.match {
					if k == "tls.version" {
						v = suricataVersion(v)
					}
					if f[k] != v {
						ok = false
					}
				}
				if ok {
					n++
				}
			}
			rel, _ := filepath.Rel(dir, y)
			checked++
			if n != flt.count {
				t.Errorf("%s: %d sessions match %v, want %d", rel, n, flt.match, flt.count)
				for _, s := range a.Sessions {
					t.Logf("  session %s->%s: %v", s.Client, s.Server, suricataFields(s))
				}
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d suricata filters checked", checked)
	}
	t.Logf("%d suricata filters checked", checked)
}
