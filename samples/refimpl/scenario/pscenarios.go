package scenario

import (
	"time"

	"github.com/sessionscope/sscope/dissect/eap"
	"github.com/sessionscope/sscope/samples/refimpl/eapauth"
	"github.com/sessionscope/sscope/samples/refimpl/pki"
)

// peapPolicy is the vendor's default PEAP setting: session resume on with
// a 7200 s lifetime, fast reconnect on.
func peapPolicy() eapauth.ServerConfig {
	return eapauth.ServerConfig{
		Policy: eapauth.Policy{
			AllowedMethods:      []eap.Type{eap.TypePEAP, eap.TypeTLS},
			EnableSessionResume: true,
			SessionTimeout:      7200 * time.Second,
			EnableFastReconnect: true,
		},
		Passwords: map[string]string{"alice@lab.example": "Corr3ct-Horse"},
	}
}

// peapStation is a Windows-like supplicant: PEAP with identity privacy,
// EAP-MSCHAPv2 inside, session resumption and fast reconnect on.
func peapStation(w *World) *station {
	return &station{
		peer: eapauth.NewPeer(eapauth.PeerConfig{
			Rand:              w.Rand("supplicant"),
			Time:              w.Clock.Now,
			Credentials:       eapauth.Credentials{Identity: "alice@lab.example", Password: "Corr3ct-Horse"},
			OuterIdentity:     "anonymous@lab.example",
			Methods:           []eap.Type{eap.TypePEAP},
			RootCAs:           pki.CAPool(),
			SessionResumption: true,
			FastReconnect:     true,
			KeyLog:            w.LogKeys,
		}),
		callingStationID: "02-00-5E-20-00-51",
		auditSessionID:   "0A140002000000120034F1A2",
		nasPort:          50112,
	}
}

// peapRun authenticates the station on the given nodes in turn, an hour
// apart (the Session-Timeout the server sends), and records each.
func peapRun(w *World, st *station, nodes ...*node) error {
	for i, n := range nodes {
		if i > 0 {
			w.Clock.Advance(time.Hour)
		}
		conv := st.peer.NewConversation()
		a, err := authenticate(w, n, st, conv, conv.Outcome)
		if err != nil {
			return err
		}
		sess, err := expectedSession(st, a)
		if err != nil {
			return err
		}
		w.Expected.Sessions = append(w.Expected.Sessions, sess)
	}
	return nil
}

func runP1(w *World) error {
	n := newNode(w, "ise-1", peapPolicy())
	if err := peapRun(w, peapStation(w), n); err != nil {
		return err
	}
	w.Expected.Absent = []string{"tls-resumption-refused", "radius-access-reject"}
	return nil
}

func runP2(w *World) error {
	n := newNode(w, "ise-1", peapPolicy())
	if err := peapRun(w, peapStation(w), n, n); err != nil {
		return err
	}
	w.Expected.Absent = []string{"tls-resumption-refused", "radius-access-reject"}
	return nil
}

// runP3: two nodes behind the RADIUS virtual address, each with its own
// session cache; the re-authentication lands on the other node.
func runP3(w *World) error {
	a, b := newNode(w, "ise-1", peapPolicy()), newNode(w, "ise-2", peapPolicy())
	if err := peapRun(w, peapStation(w), a, b); err != nil {
		return err
	}
	w.Expected.Findings = []string{"tls-resumption-refused"}
	w.Expected.Absent = []string{"radius-access-reject"}
	return nil
}
