package rules

import (
	"fmt"

	"github.com/sessionscope/sscope/correlate/report"
)

// who names the client of a session for a summary.
func who(s *report.Session) string {
	c := s.Client
	switch {
	case c.Identity != nil && c.MAC != nil:
		return fmt.Sprintf("%q (%s)", *c.Identity, *c.MAC)
	case c.Identity != nil && c.CallingStationID != nil:
		return fmt.Sprintf("%q (%s)", *c.Identity, *c.CallingStationID)
	case c.Identity != nil:
		return fmt.Sprintf("%q", *c.Identity)
	case c.MAC != nil:
		return *c.MAC
	case c.CallingStationID != nil:
		return *c.CallingStationID
	}
	return c.IP
}

// server names the server side of a session.
func server(s *report.Session) string {
	if s.Kind == report.KindRADIUSEAP || s.Kind == report.KindRADIUS {
		return fmt.Sprintf("RADIUS server %s:%d", s.Server.IP, s.Server.Port)
	}
	name := ""
	if s.TLS != nil && s.TLS.ServerName != nil {
		name = " (" + *s.TLS.ServerName + ")"
	}
	return fmt.Sprintf("server %s:%d%s", s.Server.IP, s.Server.Port, name)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
