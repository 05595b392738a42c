package interop

import "net"

// FreeUDPPort returns a UDP port on 127.0.0.1 that was free a moment ago,
// for a peer daemon to listen on.
func FreeUDPPort() (int, error) {
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	return conn.LocalAddr().(*net.UDPAddr).Port, nil
}
