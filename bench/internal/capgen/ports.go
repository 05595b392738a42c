package capgen

// Ports on which a RADIUS server listens (authentication, accounting, the
// old 1645/1646 pair, Dynamic Authorization and its legacy port).
var radiusPorts = [...]uint16{1812, 1813, 1645, 1646, 3799, 1700}

func isRADIUSPort(p uint16) bool {
	for _, q := range radiusPorts {
		if p == q {
			return true
		}
	}
	return false
}

// Well-known service ports that decide which end of a template flow is the
// server when the capture does not show who opened it.
var servicePorts = [...]uint16{1812, 1813, 1645, 1646, 3799, 1700, 2083, 443, 8443,
	4443, 500, 4500, 80, 8080, 53, 389, 636, 49, 853, 3389}

func isServicePort(p uint16) bool {
	for _, q := range servicePorts {
		if p == q {
			return true
		}
	}
	return false
}
