package keys

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// Labels of the NSS key log format (as Wireshark reads it).
const (
	LabelClientRandom                 = "CLIENT_RANDOM"
	LabelPMSClientRandom              = "PMS_CLIENT_RANDOM"
	LabelRSA                          = "RSA"
	LabelClientEarlyTrafficSecret     = "CLIENT_EARLY_TRAFFIC_SECRET"
	LabelClientHandshakeTrafficSecret = "CLIENT_HANDSHAKE_TRAFFIC_SECRET"
	LabelServerHandshakeTrafficSecret = "SERVER_HANDSHAKE_TRAFFIC_SECRET"
	LabelClientTrafficSecret0         = "CLIENT_TRAFFIC_SECRET_0"
	LabelServerTrafficSecret0         = "SERVER_TRAFFIC_SECRET_0"
	LabelExporterSecret               = "EXPORTER_SECRET"
	LabelEarlyExporterSecret          = "EARLY_EXPORTER_SECRET"
	LabelECHSecret                    = "ECH_SECRET"
	LabelECHConfig                    = "ECH_CONFIG"
)

// Caps on what a key log may make the analyzer read and keep.
const (
	// MaxKeyLogLine caps one line (the longest valid line is about 230
	// bytes; PMS_CLIENT_RANDOM with a large DH premaster is longer).
	MaxKeyLogLine = 4096
	// MaxKeyLogBytes caps what is read from one source.
	MaxKeyLogBytes = 256 << 20
	// MaxProblems caps the problems listed per source; the rest are
	// counted.
	MaxProblems = 100
	// maxPreMaster caps a PMS_CLIENT_RANDOM premaster secret (a
	// finite-field DH shared secret of 8192 bits is 1024 bytes).
	maxPreMaster = 1024
)

// LineError is a key log line that was skipped, and why.
type LineError struct {
	Source string
	Line   int
	Reason string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.Source, e.Line, e.Reason) }

// Load says what reading one key log source did.
type Load struct {
	Source     string
	Lines      int // lines read, comments and blank lines included
	Added      int // secrets added to the store
	Duplicates int // secrets the store already had
	// Ignored counts well-formed lines of labels that decrypt nothing
	// here (EARLY_EXPORTER_SECRET, ECH_SECRET, ECH_CONFIG).
	Ignored int
	// Problems lists skipped lines, at most MaxProblems of them;
	// MoreProblems counts the others.
	Problems     []*LineError
	MoreProblems int
	// Truncated: reading stopped at MaxKeyLogBytes or at the store's cap
	// on sessions.
	Truncated bool
}

func (l *Load) problem(line int, format string, args ...any) {
	if len(l.Problems) >= MaxProblems {
		l.MoreProblems++
		return
	}
	l.Problems = append(l.Problems, &LineError{Source: l.Source, Line: line, Reason: fmt.Sprintf(format, args...)})
}

// entry is one parsed key log line.
type entry struct {
	label string
	// key is the client random, or for RSA lines the first 8 bytes of
	// the encrypted premaster secret.
	key    []byte
	secret []byte
}

// parseLine reads one line (without its end of line). It returns ok=false
// and no reason for blank lines and comments, and a reason for lines it
// cannot use.
func parseLine(line []byte) (e entry, ok bool, reason string) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] == '#' {
		return entry{}, false, ""
	}
	f := bytes.Fields(line)
	label := string(f[0])
	keyLen, minSecret, maxSecret := 32, 0, 0
	switch label {
	case LabelClientRandom:
		minSecret, maxSecret = 48, 48
	case LabelPMSClientRandom:
		minSecret, maxSecret = 1, maxPreMaster
	case LabelRSA:
		if len(f) == 3 && bytes.HasPrefix(f[1], []byte("Session-ID:")) {
			return entry{}, false, "the \"RSA Session-ID: Master-Key:\" format is not supported; use CLIENT_RANDOM lines"
		}
		keyLen, minSecret, maxSecret = 8, 48, 48
	case LabelClientEarlyTrafficSecret, LabelClientHandshakeTrafficSecret, LabelServerHandshakeTrafficSecret,
		LabelClientTrafficSecret0, LabelServerTrafficSecret0, LabelExporterSecret, LabelEarlyExporterSecret:
		minSecret, maxSecret = 32, 48
	case LabelECHSecret, LabelECHConfig:
		return entry{label: label}, true, ""
	default:
		if len(label) > 40 {
			label = label[:40] + "..."
		}
		return entry{}, false, fmt.Sprintf("unknown label %q", label)
	}
	if len(f) != 3 {
		return entry{}, false, fmt.Sprintf("%s line has %d fields, want 3 (label, %s, secret)", label, len(f), keyName(label))
	}
	key, err := hex.DecodeString(string(f[1]))
	if err != nil || len(key) != keyLen {
		return entry{}, false, fmt.Sprintf("%s: %s is not %d bytes of hex", label, keyName(label), keyLen)
	}
	secret, err := hex.DecodeString(string(f[2]))
	if err != nil {
		return entry{}, false, fmt.Sprintf("%s: the secret is not hex", label)
	}
	if len(secret) < minSecret || len(secret) > maxSecret {
		if minSecret == maxSecret {
			return entry{}, false, fmt.Sprintf("%s: secret of %d bytes, want %d", label, len(secret), minSecret)
		}
		return entry{}, false, fmt.Sprintf("%s: secret of %d bytes, want %d to %d", label, len(secret), minSecret, maxSecret)
	}
	if label != LabelPMSClientRandom && label != LabelRSA && minSecret == 32 && len(secret) != 32 && len(secret) != 48 {
		return entry{}, false, fmt.Sprintf("%s: secret of %d bytes, want 32 (SHA-256) or 48 (SHA-384)", label, len(secret))
	}
	return entry{label: label, key: key, secret: secret}, true, ""
}

func keyName(label string) string {
	if label == LabelRSA {
		return "the first 8 bytes of the encrypted premaster secret"
	}
	return "the client random"
}

// readKeyLog reads r line by line and hands every usable entry to add.
// add returns false when the store is full.
func readKeyLog(r io.Reader, l *Load, add func(e entry, line int) bool) error {
	br := bufio.NewReaderSize(io.LimitReader(r, MaxKeyLogBytes+1), MaxKeyLogLine)
	var read int64
	for {
		line, err := br.ReadSlice('\n')
		read += int64(len(line))
		tooLong := errors.Is(err, bufio.ErrBufferFull)
		if len(line) > 0 || tooLong {
			l.Lines++
		}
		if tooLong {
			l.problem(l.Lines, "line longer than %d bytes", MaxKeyLogLine)
			for errors.Is(err, bufio.ErrBufferFull) { // skip the rest of the line
				line, err = br.ReadSlice('\n')
				read += int64(len(line))
			}
		} else if len(line) > 0 {
			if l.Lines == 1 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // UTF-8 byte order mark
			}
			if e, ok, reason := parseLine(line); ok {
				if !add(e, l.Lines) {
					l.Truncated = true
					return nil
				}
			} else if reason != "" {
				l.problem(l.Lines, "%s", reason)
			}
		}
		if read > MaxKeyLogBytes {
			l.Truncated = true
			l.problem(l.Lines, "key log longer than %d bytes; the rest is not read", MaxKeyLogBytes)
			return nil
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
