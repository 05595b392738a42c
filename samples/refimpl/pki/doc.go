// Package pki is the reference implementation's test PKI: a CA
// ("SessionScope Lab CA"), the RADIUS/TLS server certificate
// (CN=radius.lab.example) and the EAP-TLS client certificate
// (CN=host/laptop-01.lab.example, used for the machine too), all RSA 2048
// and valid from 2020 to 2050.
//
// The PEM files in this directory (ca.pem, server.pem, server.key,
// client.pem, client.key) are committed and embedded; lab peers such as
// FreeRADIUS, hostapd and eapol_test read the same files. They were made
// once by the program in gen; regenerating them changes every sample.
//
// It is not a certificate authority: it issues nothing at run time, and its
// private keys are public on purpose, fit only for test captures.
package pki
