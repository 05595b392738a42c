package scenario

var scenarios = []Scenario{
	{ID: "P1", Title: "PEAP full handshake: first authentication, inner EAP-MSCHAPv2, Access-Accept", run: runP1},
	{ID: "P2", Title: "PEAP abbreviated handshake: re-authentication resumes the session ID, fast reconnect skips the inner method", run: runP2},
	{ID: "P3", Title: "PEAP resumption refused: the re-authentication reaches the other node, new session ID, full handshake", run: runP3},
	{ID: "T1", Title: "TLS behind a round-robin balancer: IDs assigned but never accepted", run: runT1},
	{ID: "T2", Title: "TLS behind a balancer with a shared ticket key: RFC 5077 resumption on every backend", run: runT2},
	{ID: "T3", Title: "TLS server with the session cache disabled: no IDs assigned", run: runT3},
	{ID: "F1", Title: "EAP-FAST, no chaining: machine PAC tunnel (inner method skipped), then tunnel PAC + EAP-MSCHAPv2 for the user", run: runF1},
	{ID: "F2", Title: "EAP-FAST chaining with user and machine authorization PACs: both inner methods skipped", run: runF2},
	{ID: "F3", Title: "EAP-FAST chaining without PACs: certificate tunnel, renegotiation, EAP-MSCHAPv2 for user and machine", run: runF3},
	{ID: "F4", Title: "EAP-FAST chaining, authorization PACs expired: both inner methods run, both PACs re-provisioned", run: runF4},
	{ID: "F5", Title: "EAP-FAST chaining, tunnel PAC expired: certificate tunnel, inner methods, all four PACs provisioned", run: runF5},
	{ID: "F6", Title: "EAP-FAST chaining with anonymous provisioning: tunnel and machine PACs, authorization PACs refused, Access-Reject", run: runF6},
	{ID: "F7", Title: "EAP-FAST chaining, user credentials not available: machine EAP-TLS passes, user fails", run: runF7},
	{ID: "F8", Title: "EAP-FAST anonymous-only server, client offers only certificate suites: handshake_failure, Access-Reject", run: runF8},
}
