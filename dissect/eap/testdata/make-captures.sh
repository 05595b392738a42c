#!/usr/bin/env bash
# Makes the RADIUS/EAP captures in this directory from real open-source peers:
# FreeRADIUS 3 (server) and eapol_test (wpa_supplicant's RADIUS/EAP test peer)
# talking over loopback, recorded with dumpcap.
#
# Needs (Debian packages): freeradius, eapoltest, tshark (dumpcap), openssl.
# Run as root (dumpcap on lo). Everything else lives in a throwaway temp dir.
#
#   dissect/eap/testdata/make-captures.sh            # writes ./*.pcap here
#   OUT=/tmp/x dissect/eap/testdata/make-captures.sh   # elsewhere
#
# The tests read RADIUS on UDP 18812; change PORT only for experiments.
#
# Captures written (one RADIUS/EAP conversation or two each):
#   peap-mschapv2.pcap   PEAPv0 with inner EAP-MSCHAPv2 (accept)
#   eap-tls.pcap         EAP-TLS with a client certificate (accept)
#   eap-ttls-pap.pcap    EAP-TTLS with inner PAP (accept)
#   eap-fast.pcap        EAP-FAST, authenticated PAC provisioning with inner
#                        EAP-MSCHAPv2; the TLS tunnel completes, then the peer
#                        rejects the server's Crypto-Binding (Compound MAC
#                        mismatch between FreeRADIUS 3.2.1 and eapol_test 2.10)
#                        and the server answers Access-Reject
#   eap-mschapv2.pcap    bare EAP-MSCHAPv2: one accept, one wrong password
#                        (Failure request "E=691 R=1 C=... V=3 M=...")
#   eap-gtc.pcap         bare EAP-GTC (accept)
#   eap-md5.pcap         bare EAP-MD5 (accept)
#   eap-pwd.pcap         EAP-pwd (accept)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-$HERE}
PORT=${PORT:-18812}
INNER_PORT=$((PORT + 2))
SECRET=testing123

for tool in freeradius eapol_test dumpcap openssl; do
	command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/eapcap.XXXXXX)
RADIUSD_PID=
DUMPCAP_PID=
cleanup() {
	[ -n "$DUMPCAP_PID" ] && kill "$DUMPCAP_PID" 2>/dev/null || true
	[ -n "$RADIUSD_PID" ] && kill "$RADIUSD_PID" 2>/dev/null || true
	wait 2>/dev/null || true
	if [ -n "${KEEP:-}" ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# --- certificates: a CA, a server and a client certificate (RSA 2048, so the
# server's certificate flight spans several EAP fragments).
CERTS=$WORK/raddb/certs
mkdir -p "$WORK"
cp -rL /etc/freeradius/3.0 "$WORK/raddb"
rm -rf "$CERTS" && mkdir -p "$CERTS"
(
	cd "$CERTS"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -sha256 \
		-subj "/C=XX/O=SessionScope Test/CN=SessionScope Test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout ca.key -out ca.pem 2>/dev/null
	for who in server client; do
		if [ $who = server ]; then eku=serverAuth; cn=radius.example.org; else eku=clientAuth; cn=client@example.org; fi
		openssl req -newkey rsa:2048 -nodes -sha256 \
			-subj "/C=XX/O=SessionScope Test/CN=$cn" \
			-keyout $who.key -out $who.csr 2>/dev/null
		printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=%s\n' $eku >$who.ext
		openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
			-days 3650 -sha256 -extfile $who.ext -out $who.pem 2>/dev/null
	done
)

# --- FreeRADIUS configuration: the Debian default with our own site, inner
# tunnel, EAP module and users, listening on loopback at $PORT only.
R=$WORK/raddb
sed -i -E -e '/^\s*(user|group)\s*=/d' \
	-e "s|^logdir = .*|logdir = $WORK/log|" \
	-e "s|^run_dir = .*|run_dir = $WORK/run|" \
	"$R/radiusd.conf"
mkdir -p "$WORK/log/radacct" "$WORK/run"

rm -f "$R"/sites-enabled/*
cat >"$R/sites-enabled/default" <<EOF
server default {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $PORT
	}
	authorize {
		eap {
			ok = return
		}
		files
		mschap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		eap
	}
}
EOF
cat >"$R/sites-enabled/inner-tunnel" <<EOF
server inner-tunnel {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $INNER_PORT
	}
	authorize {
		eap {
			ok = return
		}
		files
		mschap
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		eap
	}
}
EOF
cat >"$R/mods-enabled/eap" <<EOF
eap {
	default_eap_type = peap
	timer_expire = 60
	ignore_unknown_eap_types = no
	max_sessions = \${max_requests}
	md5 {
	}
	gtc {
		auth_type = PAP
	}
	mschapv2 {
		send_error = yes
	}
	pwd {
		group = 19
		server_id = radius.example.org
		fragment_size = 1020
		virtual_server = "inner-tunnel"
	}
	tls-config tls-common {
		private_key_file = \${certdir}/server.key
		certificate_file = \${certdir}/server.pem
		ca_file = \${certdir}/ca.pem
		fragment_size = 1024
		include_length = yes
		cipher_list = "DEFAULT"
		tls_min_version = "1.2"
		tls_max_version = "1.2"
		cache {
			enable = no
		}
	}
	tls {
		tls = tls-common
	}
	ttls {
		tls = tls-common
		default_eap_type = md5
		virtual_server = "inner-tunnel"
	}
	peap {
		tls = tls-common
		default_eap_type = mschapv2
		virtual_server = "inner-tunnel"
	}
	fast {
		tls = tls-common
		cipher_list = "ALL:!EXPORT:!eNULL:!SSLv2"
		authority_identity = "53657373696f6e53636f7065"
		pac_opaque_key = "0123456789abcdef0123456789ABCDEF"
		virtual_server = inner-tunnel
	}
}
EOF
cat >"$R/mods-config/files/authorize" <<'EOF'
bob	Cleartext-Password := "hello"
client@example.org
EOF
cat >"$R/clients.conf" <<EOF
client localhost {
	ipaddr = 127.0.0.1
	secret = $SECRET
}
EOF

freeradius -X -d "$R" >"$WORK/radiusd.log" 2>&1 &
RADIUSD_PID=$!
for _ in $(seq 50); do
	grep -q 'Ready to process requests' "$WORK/radiusd.log" && break
	kill -0 "$RADIUSD_PID" 2>/dev/null || { tail -30 "$WORK/radiusd.log" >&2; exit 1; }
	sleep 0.2
done

# --- one capture per method
capture() { # name conf [conf...]   (NOKEYS=-n for methods without an MSK)
	local name=$1
	shift
	local pcap=$WORK/$name.pcap
	dumpcap -q -i lo -f "udp port $PORT" -w "$pcap" >"$WORK/dumpcap.log" 2>&1 &
	DUMPCAP_PID=$!
	sleep 1.5
	local ok=1
	for conf in "$@"; do
		if ! eapol_test -c "$WORK/$conf" -a 127.0.0.1 -p "$PORT" -s "$SECRET" -t 10 $NOKEYS \
			>"$WORK/$conf.log" 2>&1; then
			echo "eapol_test $conf: failed (see log below)" >&2
			tail -5 "$WORK/$conf.log" >&2
			ok=0
		fi
	done
	sleep 1
	kill -INT "$DUMPCAP_PID"
	wait "$DUMPCAP_PID" 2>/dev/null || true
	DUMPCAP_PID=
	# dumpcap writes pcapng; keep classic pcap (smaller, read by every tool).
	if command -v editcap >/dev/null; then
		editcap -F pcap "$pcap" "$OUT/$name.pcap"
	else
		cp "$pcap" "$OUT/$name.pcap"
	fi
	echo "$name.pcap: $ok"
}

net() { # file body
	printf 'network={\n\tkey_mgmt=WPA-EAP\n%s\n}\n' "$2" >"$WORK/$1"
}
net peap.conf "	eap=PEAP
	identity=\"bob\"
	anonymous_identity=\"anonymous\"
	password=\"hello\"
	phase1=\"peapver=0\"
	phase2=\"auth=MSCHAPV2\"
	ca_cert=\"$CERTS/ca.pem\""
net tls.conf "	eap=TLS
	identity=\"client@example.org\"
	ca_cert=\"$CERTS/ca.pem\"
	client_cert=\"$CERTS/client.pem\"
	private_key=\"$CERTS/client.key\""
net ttls.conf "	eap=TTLS
	identity=\"bob\"
	anonymous_identity=\"anonymous\"
	password=\"hello\"
	phase2=\"auth=PAP\"
	ca_cert=\"$CERTS/ca.pem\""
net fast.conf "	eap=FAST
	identity=\"bob\"
	anonymous_identity=\"anonymous\"
	password=\"hello\"
	phase1=\"fast_provisioning=2\"
	phase2=\"auth=MSCHAPV2\"
	pac_file=\"blob://eap-fast-pac\"
	ca_cert=\"$CERTS/ca.pem\""
net mschapv2.conf "	eap=MSCHAPV2
	identity=\"bob\"
	password=\"hello\""
net mschapv2-bad.conf "	eap=MSCHAPV2
	identity=\"bob\"
	password=\"wrong\""
net gtc.conf "	eap=GTC
	identity=\"bob\"
	password=\"hello\""
net md5.conf "	eap=MD5
	identity=\"bob\"
	password=\"hello\""
net pwd.conf "	eap=PWD
	identity=\"bob\"
	password=\"hello\""

NOKEYS=-n
capture eap-mschapv2 mschapv2.conf mschapv2-bad.conf
capture eap-gtc gtc.conf
capture eap-md5 md5.conf
NOKEYS=
capture peap-mschapv2 peap.conf
capture eap-tls tls.conf
capture eap-ttls-pap ttls.conf
capture eap-pwd pwd.conf
capture eap-fast fast.conf
