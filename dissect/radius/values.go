package radius

// Names of enumerated attribute values, as the FreeRADIUS dictionaries
// spell them. Where a dictionary gives two names to one value, the later
// (current) one is used.

var valuesServiceType = map[uint32]string{
	1:  "Login-User",
	2:  "Framed-User",
	3:  "Callback-Login-User",
	4:  "Callback-Framed-User",
	5:  "Outbound-User",
	6:  "Administrative-User",
	7:  "NAS-Prompt-User",
	8:  "Authenticate-Only",
	9:  "Callback-NAS-Prompt",
	10: "Call-Check",
	11: "Callback-Administrative",
	12: "Voice",
	13: "Fax",
	14: "Modem-Relay",
	15: "IAPP-Register",
	16: "IAPP-AP-Check",
	17: "Authorize-Only",
	18: "Framed-Management",
}

var valuesFramedProtocol = map[uint32]string{
	1: "PPP",
	2: "SLIP",
	3: "ARAP",
	4: "Gandalf-SLML",
	5: "Xylogics-IPX-SLIP",
	6: "X.75-Synchronous",
	7: "GPRS-PDP-Context",
	9: "PPTP",
}

var valuesFramedRouting = map[uint32]string{
	0: "None",
	1: "Broadcast",
	2: "Listen",
	3: "Broadcast-Listen",
}

var valuesFramedCompression = map[uint32]string{
	0: "None",
	1: "Van-Jacobson-TCP-IP",
	2: "IPX-Header-Compression",
	3: "Stac-LZS",
}

var valuesLoginService = map[uint32]string{
	0: "Telnet",
	1: "Rlogin",
	2: "TCP-Clear",
	3: "PortMaster",
	4: "LAT",
	5: "X25-PAD",
	6: "X25-T3POS",
	8: "TCP-Clear-Quiet",
}

var valuesLoginTcpPort = map[uint32]string{
	23:  "Telnet",
	513: "Rlogin",
	514: "Rsh",
}

var valuesTerminationAction = map[uint32]string{
	0: "Default",
	1: "RADIUS-Request",
}

var valuesAcctStatusType = map[uint32]string{
	1:  "Start",
	2:  "Stop",
	3:  "Interim-Update",
	7:  "Accounting-On",
	8:  "Accounting-Off",
	9:  "Tunnel-Start",
	10: "Tunnel-Stop",
	11: "Tunnel-Reject",
	12: "Tunnel-Link-Start",
	13: "Tunnel-Link-Stop",
	14: "Tunnel-Link-Reject",
	15: "Failed",
	18: "Subsystem-On",
	19: "Subsystem-Off",
}

var valuesAcctAuthentic = map[uint32]string{
	1: "RADIUS",
	2: "Local",
	3: "Remote",
	4: "Diameter",
}

var valuesAcctTerminateCause = map[uint32]string{
	1:  "User-Request",
	2:  "Lost-Carrier",
	3:  "Lost-Service",
	4:  "Idle-Timeout",
	5:  "Session-Timeout",
	6:  "Admin-Reset",
	7:  "Admin-Reboot",
	8:  "Port-Error",
	9:  "NAS-Error",
	10: "NAS-Request",
	11: "NAS-Reboot",
	12: "Port-Unneeded",
	13: "Port-Preempted",
	14: "Port-Suspended",
	15: "Service-Unavailable",
	16: "Callback",
	17: "User-Error",
	18: "Host-Request",
	19: "Supplicant-Restart",
	20: "Reauthentication-Failure",
	21: "Port-Reinit",
	22: "Port-Disabled",
}

var valuesIngressFilters = map[uint32]string{
	1: "Enabled",
	2: "Disabled",
}

var valuesNasPortType = map[uint32]string{
	0:  "Async",
	1:  "Sync",
	2:  "ISDN",
	3:  "ISDN-V120",
	4:  "ISDN-V110",
	5:  "Virtual",
	6:  "PIAFS",
	7:  "HDLC-Clear-Channel",
	8:  "X.25",
	9:  "X.75",
	10: "G.3-Fax",
	11: "SDSL",
	12: "ADSL-CAP",
	13: "ADSL-DMT",
	14: "IDSL",
	15: "Ethernet",
	16: "xDSL",
	17: "Cable",
	18: "Wireless-Other",
	19: "Wireless-802.11",
	20: "Token-Ring",
	21: "FDDI",
	22: "Wireless-CDMA2000",
	23: "Wireless-UMTS",
	24: "Wireless-1X-EV",
	25: "IAPP",
	26: "FTTP",
	27: "Wireless-802.16",
	28: "Wireless-802.20",
	29: "Wireless-802.22",
	30: "PPPoA",
	31: "PPPoEoA",
	32: "PPPoEoE",
	33: "PPPoEoVLAN",
	34: "PPPoEoQinQ",
	35: "xPON",
	36: "Wireless-XGP",
}

var valuesTunnelType = map[uint32]string{
	1:  "PPTP",
	2:  "L2F",
	3:  "L2TP",
	4:  "ATMP",
	5:  "VTP",
	6:  "AH",
	7:  "IP",
	8:  "MIN-IP",
	9:  "ESP",
	10: "GRE",
	11: "DVS",
	12: "IP-in-IP",
	13: "VLAN",
}

var valuesTunnelMediumType = map[uint32]string{
	1:  "IPv4",
	2:  "IPv6",
	3:  "NSAP",
	4:  "HDLC",
	5:  "BBN-1822",
	6:  "IEEE-802",
	7:  "E.163",
	8:  "E.164",
	9:  "F.69",
	10: "X.121",
	11: "IPX",
	12: "Appletalk",
	13: "DecNet-IV",
	14: "Banyan-Vines",
	15: "E.164-NSAP",
}

var valuesArapZoneAccess = map[uint32]string{
	1: "Default-Zone",
	2: "Zone-Filter-Inclusive",
	4: "Zone-Filter-Exclusive",
}

var valuesPrompt = map[uint32]string{
	0: "No-Echo",
	1: "Echo",
}

var valuesErrorCause = map[uint32]string{
	201: "Residual-Context-Removed",
	202: "Invalid-EAP-Packet",
	401: "Unsupported-Attribute",
	402: "Missing-Attribute",
	403: "NAS-Identification-Mismatch",
	404: "Invalid-Request",
	405: "Unsupported-Service",
	406: "Unsupported-Extension",
	407: "Invalid-Attribute-Value",
	501: "Administratively-Prohibited",
	502: "Proxy-Request-Not-Routable",
	503: "Session-Context-Not-Found",
	504: "Session-Context-Not-Removable",
	505: "Proxy-Processing-Error",
	506: "Resources-Unavailable",
	507: "Request-Initiated",
	508: "Multiple-Session-Selection-Unsupported",
}

var valuesLocationCapable = map[uint32]string{
	1: "Civic-Location",
	2: "Geo-Location",
	4: "Users-Location",
	8: "NAS-Location",
}

var valuesRequestedLocationInfo = map[uint32]string{
	1:  "Civic-Location",
	2:  "Geo-Location",
	4:  "Users-Location",
	8:  "NAS-Location",
	16: "Future-Requests",
	32: "None",
}

var valuesFramedManagement = map[uint32]string{
	1: "SNMP",
	2: "Web-Based",
	3: "Netconf",
	4: "FTP",
	5: "TFTP",
	6: "SFTP",
	7: "RCP",
	8: "SCP",
}

var valuesManagementTransportProtection = map[uint32]string{
	1: "No-Protection",
	2: "Integrity-Protection",
	3: "Integrity-Confidentiality-Protection",
}

var valuesEapLowerLayer = map[uint32]string{
	1: "Wired-IEEE-802.1X",
	2: "IEEE-802.1X-No-Preauth",
	3: "IEEE-802.1X-Preauth",
	4: "IEEE-802.16e",
	5: "IKEv2",
	6: "PPP",
	7: "PANA-No-Preauth",
	8: "GSS-API",
	9: "PANA-Preauth",
}

var valuesCiscoDisconnectCause = map[uint32]string{
	0:   "No-Reason",
	1:   "No-Disconnect",
	2:   "Unknown",
	3:   "Call-Disconnect",
	4:   "CLID-Authentication-Failure",
	9:   "No-Modem-Available",
	10:  "No-Carrier",
	11:  "Lost-Carrier",
	12:  "No-Detected-Result-Codes",
	20:  "User-Ends-Session",
	21:  "Idle-Timeout",
	22:  "Exit-Telnet-Session",
	23:  "No-Remote-IP-Addr",
	24:  "Exit-Raw-TCP",
	25:  "Password-Fail",
	26:  "Raw-TCP-Disabled",
	27:  "Control-C-Detected",
	28:  "EXEC-Program-Destroyed",
	29:  "Close-Virtual-Connection",
	30:  "End-Virtual-Connection",
	31:  "Exit-Rlogin",
	32:  "Invalid-Rlogin-Option",
	33:  "Insufficient-Resources",
	40:  "Timeout-PPP-LCP",
	41:  "Failed-PPP-LCP-Negotiation",
	42:  "Failed-PPP-PAP-Auth-Fail",
	43:  "Failed-PPP-CHAP-Auth",
	44:  "Failed-PPP-Remote-Auth",
	45:  "PPP-Remote-Terminate",
	46:  "PPP-Closed-Event",
	47:  "NCP-Closed-PPP",
	48:  "MP-Error-PPP",
	49:  "PPP-Maximum-Channels",
	50:  "Tables-Full",
	51:  "Resources-Full",
	52:  "Invalid-IP-Address",
	53:  "Bad-Hostname",
	54:  "Bad-Port",
	60:  "Reset-TCP",
	61:  "TCP-Connection-Refused",
	62:  "Timeout-TCP",
	63:  "Foreign-Host-Close-TCP",
	64:  "TCP-Network-Unreachable",
	65:  "TCP-Host-Unreachable",
	66:  "TCP-Network-Admin-Unreachable",
	67:  "TCP-Port-Unreachable",
	100: "Session-Timeout",
	101: "Session-Failed-Security",
	102: "Session-End-Callback",
	120: "Invalid-Protocol",
	150: "RADIUS-Disconnect",
	151: "Local-Admin-Disconnect",
	152: "SNMP-Disconnect",
	160: "V110-Retries",
	170: "PPP-Authentication-Timeout",
	180: "Local-Hangup",
	185: "Remote-Hangup",
	190: "T1-Quiesced",
	195: "Call-Duration",
	600: "VPN-User-Disconnect",
	601: "VPN-Carrier-Loss",
	602: "VPN-No-Resources",
	603: "VPN-Bad-Control-Packet",
	604: "VPN-Admin-Disconnect",
	605: "VPN-Tunnel-Shut",
	606: "VPN-Local-Disconnect",
	607: "VPN-Session-Limit",
	608: "VPN-Call-Redirect",
}

var valuesMsMppeEncryptionPolicy = map[uint32]string{
	1: "Encryption-Allowed",
	2: "Encryption-Required",
}

var valuesMsMppeEncryptionTypes = map[uint32]string{
	1: "RC4-40bit-Allowed",
	2: "RC4-128bit-Allowed",
	6: "RC4-40or128-bit-Allowed",
}

var valuesMsBapUsage = map[uint32]string{
	0: "Not-Allowed",
	1: "Allowed",
	2: "Required",
}

var valuesMsArapPwChangeReason = map[uint32]string{
	1: "Just-Change-Password",
	2: "Expired-Password",
	3: "Admin-Requires-Password-Change",
	4: "Password-Too-Short",
}

var valuesMsAcctAuthType = map[uint32]string{
	1: "PAP",
	2: "CHAP",
	3: "MS-CHAP-1",
	4: "MS-CHAP-2",
	5: "EAP",
}

var valuesMsAcctEapType = map[uint32]string{
	4:  "MD5",
	5:  "OTP",
	6:  "Generic-Token-Card",
	13: "TLS",
}

var valuesMsIdentityType = map[uint32]string{
	1: "Machine-Health-Check",
	2: "Ignore-User-Lookup-Failure",
}

var valuesMsQuarantineState = map[uint32]string{
	0: "Full-Access",
	1: "Quarantine",
	2: "Probation",
}

var valuesMsNetworkAccessServerType = map[uint32]string{
	0: "Unspecified",
	1: "Terminal-Server-Gateway",
	2: "Remote-Access-Server",
	3: "DHCP-Server",
	4: "Wireless-Access-Point",
	5: "HRA",
	6: "HCAP-Server",
}

var valuesMsAfwZone = map[uint32]string{
	1: "MS-AFW-Zone-Boundary-Policy",
	2: "MS-AFW-Zone-Unprotected-Policy",
	3: "MS-AFW-Zone-Protected-Policy",
}

var valuesMsAfwProtectionLevel = map[uint32]string{
	1: "HECP-Response-Sign-Only",
	2: "HECP-Response-Sign-And-Encrypt",
}

var valuesMsRnapNotQuarantineCapable = map[uint32]string{
	0: "SoH-Sent",
	1: "SoH-Not-Sent",
}

var valuesMsExtendedQuarantineState = map[uint32]string{
	1: "Transition",
	2: "Infected",
	3: "Unknown",
	4: "No-Data",
}

var valuesAirespaceQosLevel = map[uint32]string{
	0: "Silver",
	1: "Gold",
	2: "Platinum",
	3: "Bronze",
}

var valuesArubaAirgroupDeviceType = map[uint32]string{
	1: "Personal-Device",
	2: "Shared-Device",
	3: "Deleted-Device",
}

var valuesArubaAirgroupVersion = map[uint32]string{
	1: "AirGroup-v1",
	2: "AirGroup-v2",
}

var valuesArubaPoePriority = map[uint32]string{
	0: "Critical",
	1: "High",
	2: "Low",
}

var valuesArubaPortAuthMode = map[uint32]string{
	1: "Infrastructure-Mode",
	2: "Client-Mode",
	3: "Multi-Domain-Mode",
}

var valuesArubaQosTrustMode = map[uint32]string{
	0: "DSCP",
	1: "QoS",
	2: "None",
}

var valuesArubaStpAdminEdgePort = map[uint32]string{
	0: "Disable",
	1: "Enable",
}
