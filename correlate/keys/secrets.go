package keys

// Secrets are the secrets logged for one TLS handshake, found by the
// client random of its ClientHello. Slices are copies owned by the caller.
type Secrets struct {
	// TLS 1.0 to 1.2 (and DTLS).
	MasterSecret    []byte // CLIENT_RANDOM
	PreMasterSecret []byte // PMS_CLIENT_RANDOM
	// TLS 1.3.
	ClientEarlyTrafficSecret     []byte // CLIENT_EARLY_TRAFFIC_SECRET
	ClientHandshakeTrafficSecret []byte // CLIENT_HANDSHAKE_TRAFFIC_SECRET
	ServerHandshakeTrafficSecret []byte // SERVER_HANDSHAKE_TRAFFIC_SECRET
	ClientTrafficSecret0         []byte // CLIENT_TRAFFIC_SECRET_0
	ServerTrafficSecret0         []byte // SERVER_TRAFFIC_SECRET_0
	ExporterSecret               []byte // EXPORTER_SECRET
}

// TLS13 reports whether any TLS 1.3 traffic secret is known.
func (s *Secrets) TLS13() bool {
	return s.ClientHandshakeTrafficSecret != nil || s.ServerHandshakeTrafficSecret != nil ||
		s.ClientTrafficSecret0 != nil || s.ServerTrafficSecret0 != nil || s.ClientEarlyTrafficSecret != nil
}

// field returns the slot of a key log label, or nil for labels that do
// not name a per-session secret kept here.
func (s *Secrets) field(label string) *[]byte {
	switch label {
	case LabelClientRandom:
		return &s.MasterSecret
	case LabelPMSClientRandom:
		return &s.PreMasterSecret
	case LabelClientEarlyTrafficSecret:
		return &s.ClientEarlyTrafficSecret
	case LabelClientHandshakeTrafficSecret:
		return &s.ClientHandshakeTrafficSecret
	case LabelServerHandshakeTrafficSecret:
		return &s.ServerHandshakeTrafficSecret
	case LabelClientTrafficSecret0:
		return &s.ClientTrafficSecret0
	case LabelServerTrafficSecret0:
		return &s.ServerTrafficSecret0
	case LabelExporterSecret:
		return &s.ExporterSecret
	}
	return nil
}

func (s *Secrets) clone() Secrets {
	c := func(b []byte) []byte {
		if b == nil {
			return nil
		}
		return append([]byte(nil), b...)
	}
	return Secrets{
		MasterSecret:                 c(s.MasterSecret),
		PreMasterSecret:              c(s.PreMasterSecret),
		ClientEarlyTrafficSecret:     c(s.ClientEarlyTrafficSecret),
		ClientHandshakeTrafficSecret: c(s.ClientHandshakeTrafficSecret),
		ServerHandshakeTrafficSecret: c(s.ServerHandshakeTrafficSecret),
		ClientTrafficSecret0:         c(s.ClientTrafficSecret0),
		ServerTrafficSecret0:         c(s.ServerTrafficSecret0),
		ExporterSecret:               c(s.ExporterSecret),
	}
}
