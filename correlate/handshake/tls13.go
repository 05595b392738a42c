package handshake

// appDataLen notes an application-data record of length bytes. It reports
// whether the record belongs to a TLS 1.3 handshake (encrypted handshake
// messages travel in application-data records) rather than to the
// application.
func (o *Observer) appDataLen(dir Dir, length int, at Ref) bool {
	h := o.cur
	if h == nil || !o.tls13 || !h.isTLS13() {
		return false
	}
	// TLS 1.3: the handshake after the ServerHello travels in
	// application-data records.
	h.enc13[dir]++
	if dir == ServerToClient {
		if h.enc13[ClientToServer] > 0 {
			h.clientAfterServer = true
		}
		if !h.finished[ServerToClient] {
			h.finished[ServerToClient] = true
			h.addMessage(dir, "encrypted handshake", at)
		}
		if h.clientAfterServer {
			h.finished[ClientToServer] = true
			o.maybeComplete(dir, at)
		}
		return true
	}
	if !h.finished[ServerToClient] {
		// Before the server's flight: 0-RTT early data.
		h.addMessage(dir, "early data", at)
		return false
	}
	if h.enc13[ClientToServer] == 1 {
		h.enc13Len[ClientToServer] = length
		h.addMessage(dir, "encrypted handshake", at)
		if length == 19 {
			// 2 bytes of alert + content type + 16-byte AEAD tag: an
			// encrypted alert, not a Finished.
			h.Alert = &Alert{Dir: dir, At: at, Encrypted: true}
			o.event(dir, at, "Alert", "encrypted (record size of an alert)")
		}
		return true
	}
	if h.Alert == nil {
		h.finished[ClientToServer] = true
		o.maybeComplete(dir, at)
	}
	return false
}
