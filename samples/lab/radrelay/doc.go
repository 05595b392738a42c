// Command radrelay is the lab's stand-in for a RADIUS load balancer: it
// receives Access-Requests on one UDP port and forwards each new EAP
// conversation (an Access-Request without a State attribute) to the next
// backend server in round-robin order, keeping the later rounds of that
// conversation on the same backend by their State attribute. Answers go back
// to the requester unchanged, so a capture on the front port shows one
// RADIUS server whose TLS session cache seems to forget sessions.
//
// It is for producing lab captures (samples/lab/peap.sh, scenario P3). It is
// not a RADIUS proxy: it never re-signs packets, so client and backends must
// share one secret, and it keeps its tables only for a short lab run.
package main
