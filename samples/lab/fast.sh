#!/bin/bash
# fast.sh NAME : make the EAP-FAST lab capture NAME (F-prov) with hostapd's
# integrated EAP server as the RADIUS server and eapol_test as
# supplicant+NAS, in two network namespaces joined by a veth pair.
# F-prov: a first eapol_test run provisions a Tunnel PAC in an anonymous
# (TLS_DH_anon) tunnel and ends in Access-Reject; a second run builds the
# tunnel from that PAC (PAC-Opaque in the ClientHello), runs EAP-MSCHAPv2
# inside and ends in Access-Accept. Both authentications are in one capture.
# Writes captures/NAME.pcapng, NAME.pac (the PAC file eapol_test wrote),
# NAME.keylog (NSS key log of both tunnels), NAME.server.log,
# NAME.client.log and NAME.truth.json (the truth is read from the peers' own
# logs by truth_fast.py).

. "$(dirname "$0")/lib.sh"

name=${1:?usage: fast.sh F-prov}

SECRET=lab-radius-secret
USER_NAME=lab-user
USER_PASSWORD=lab-password # documented in README.md; redacted from kept logs
OUTER_IDENTITY=FAST-anonymous
AID=sscope-lab-fast1 # hostapd's Authority-ID (16 bytes)
AID_INFO=SessionScope-lab-hostapd
case $name in
F-prov) MAC=02:00:5e:10:00:21 ;;
*) die "unknown EAP-FAST scenario $name" ;;
esac

for t in hostapd cc; do
	command -v "$t" >/dev/null 2>&1 || die "missing tool: $t (Debian package: ${t/cc/gcc})"
done
need_tools eapol_test dumpcap tshark openssl ip ss python3
lab_tmp
# Neither peer writes SSLKEYLOGFILE itself: preload keylog/sslkeylog.c into
# both (needs OpenSSL's headers, Debian package libssl-dev).
cc -shared -fPIC -o "$LAB_TMP/sslkeylog.so" "$LAB_DIR/keylog/sslkeylog.c" -ldl -lssl ||
	die "cannot build keylog/sslkeylog.c (Debian packages gcc, libssl-dev)"
keylog_env() { KEYLOG_ENV=(env "SSLKEYLOGFILE=$LAB_TMP/$1.keylog" "LD_PRELOAD=$LAB_TMP/sslkeylog.so"); }
mkdir -p "$CAPTURES_DIR"
make_certs "$LAB_TMP/certs"
make_netns

conf=$LAB_TMP/hostapd
mkdir -p "$conf"
sed -e "s#@CONFDIR@#$conf#g; s#@CERTDIR@#$LAB_TMP/certs#g" \
	-e "s#@PAC_OPAQUE_KEY@#$(openssl rand -hex 16)#g" \
	-e "s#@AID_HEX@#$(printf %s "$AID" | od -An -tx1 | tr -d ' \n')#g" \
	-e "s#@AID_INFO@#$AID_INFO#g; s#@PROVISIONING@#3#g" \
	"$LAB_DIR/hostapd/hostapd.conf.in" >"$conf/hostapd.conf"
printf '10.77.0.0/24 %s\n' "$SECRET" >"$conf/radius_clients"
# Phase 1 accepts any identity for EAP-FAST; phase 2 EAP-MSCHAPv2 for the user.
printf '* FAST\n"%s" MSCHAPV2 "%s" [2]\n' "$USER_NAME" "$USER_PASSWORD" >"$conf/eap_users"
# RFC 7919 ffdhe2048 as PKCS#3 DH parameters.
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$conf/dh.pem"
chmod 600 "$conf/radius_clients" "$conf/eap_users"

# -dd: EAP-FAST state machine and OpenSSL verdicts; -K: key material (PAC-Key,
# master secret, session key seed) in the log.
keylog_env hostapd
bg hostapd ip netns exec "$NS_S" "${KEYLOG_ENV[@]}" hostapd -dd -K "$conf/hostapd.conf"
wait_port "$NS_S" u 1812

pac=$LAB_TMP/eapol_test.pac
cat >"$LAB_TMP/fast.conf" <<EOC
network={
	key_mgmt=IEEE8021X
	eap=FAST
	identity="$USER_NAME"
	anonymous_identity="$OUTER_IDENTITY"
	password="$USER_PASSWORD"
	phase1="fast_provisioning=1"
	phase2="auth=MSCHAPV2"
	pac_file="$pac"
}
EOC

pcap=$CAPTURES_DIR/$name.pcapng
start_capture "$pcap" "ip and (udp port 1812 or (ip[6:2] & 0x1fff) != 0)"

extra=(-N32:s:lab-nas -N30:s:02-00-5E-00-00-FE:lab-ssid)
rcs=()
client_logs=()
for run in 1 2; do
	log "$name: eapol_test run $run -M $MAC against $SERVER_IP:1812 (hostapd, pac_file $( [ -s "$pac" ] && echo present || echo absent))"
	rc=0
	keylog_env eapol_test
	in_c "${KEYLOG_ENV[@]}" eapol_test -c "$LAB_TMP/fast.conf" -a "$SERVER_IP" -p 1812 -s "$SECRET" \
		-A "$CLIENT_IP" -r 0 -t 20 -M "$MAC" "${extra[@]}" >"$LAB_TMP/eapol_test-$run.out" 2>&1 || rc=$?
	log "$name: eapol_test run $run exit code $rc ($(tail -1 "$LAB_TMP/eapol_test-$run.out"))"
	rcs+=("$rc")
	client_logs+=("$LAB_TMP/eapol_test-$run.out")
	# The PAC file as the first run wrote it is the one the second run used.
	[ "$run" = 1 ] && { cp "$pac" "$LAB_TMP/after-run-1.pac" 2>/dev/null || die "eapol_test wrote no PAC file"; }
done
stop_capture

# Stop hostapd so its log is complete.
for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
LAB_PIDS=()

cmp -s "$pac" "$LAB_TMP/after-run-1.pac" || log "$name: the second run rewrote the PAC file (kept: as the first run wrote it)"
cp "$LAB_TMP/after-run-1.pac" "$CAPTURES_DIR/$name.pac"
chmod 644 "$CAPTURES_DIR/$name.pac"

python3 "$LAB_DIR/truth_fast.py" --name "$name" --pcap "$pcap" \
	--client-logs "${client_logs[@]}" --server-log "$LAB_TMP/hostapd.out" \
	--pac-file "$CAPTURES_DIR/$name.pac" --client-keylog "$LAB_TMP/eapol_test.keylog" \
	--server-keylog "$LAB_TMP/hostapd.keylog" --redact "$USER_PASSWORD" \
	--eapol-test-rc "${rcs[@]}" --out-dir "$CAPTURES_DIR"
