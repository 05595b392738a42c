package eap

// GTC is the data of a Generic Token Card packet (RFC 3748 §5.6). In a
// Request it is the prompt shown to the user; in a Response it is what the
// user typed — a password or one-time code, so a secret. Inside EAP-FAST
// and TEAP tunnels peers commonly send "RESPONSE=<user>\x00<password>".
type GTC struct {
	Text string
}

// ParseGTC decodes GTC type data. Any bytes are valid.
func ParseGTC(data []byte) GTC {
	return GTC{Text: string(data)}
}

// Marshal builds GTC type data.
func (g GTC) Marshal() []byte {
	return []byte(g.Text)
}
