#!/bin/bash
# peap.sh NAME : make the PEAP-over-RADIUS lab capture NAME (P1, P1-ipfrag,
# P2, P3, P-nocache) with FreeRADIUS as server and eapol_test as
# supplicant+NAS, in two network namespaces joined by a veth pair.
# Writes captures/NAME.pcapng, NAME.server.log, NAME.client.log and
# NAME.truth.json (the truth is read from the peers' own logs by truth.py).

. "$(dirname "$0")/lib.sh"

name=${1:?usage: peap.sh P1|P1-ipfrag|P2|P3|P-nocache}

SECRET=lab-radius-secret
USER_NAME=lab-user
USER_PASSWORD=lab-password # documented in README.md; redacted from kept logs
NODES=1 CACHE=yes REAUTH=0 FRAGMENT_SIZE=1024 FRAMED_MTU="" MAC=""
case $name in
P1) MAC=02:00:5e:10:00:01 ;;
P1-ipfrag) MAC=02:00:5e:10:00:11 FRAGMENT_SIZE=3000 FRAMED_MTU=3100 ;;
P2) MAC=02:00:5e:10:00:02 REAUTH=1 ;;
P3) MAC=02:00:5e:10:00:03 REAUTH=1 NODES=2 ;;
P-nocache) MAC=02:00:5e:10:00:04 REAUTH=1 CACHE=no ;;
*) die "unknown PEAP scenario $name" ;;
esac

need_tools freeradius eapol_test dumpcap tshark openssl ip ss python3 go
lab_tmp
mkdir -p "$CAPTURES_DIR"
make_certs "$LAB_TMP/certs"
make_netns

# One FreeRADIUS instance per node. With one node it listens on the veth
# address; with two, both listen on the server namespace's loopback and
# radrelay takes the front port.
node_names=(a b)
start_node() {
	local node=$1 addr=$2 port=$3 clients=$4
	local conf=$LAB_TMP/raddb-$node run=$LAB_TMP/run-$node
	mkdir -p "$conf" "$run/log" "$run/run" "$run/db" "$run/tlscache-$node"
	sed -e "s#@RUNDIR@#$run#g; s#@CONFDIR@#$conf#g; s#@CERTDIR@#$LAB_TMP/certs#g" \
		-e "s#@NODE@#$node#g; s#@CLIENTNET@#$clients#g; s#@SECRET@#$SECRET#g" \
		-e "s#@FRAGMENT_SIZE@#$FRAGMENT_SIZE#g; s#@CACHE_ENABLE@#$CACHE#g" \
		-e "s#@LISTEN_ADDR@#$addr#g; s#@LISTEN_PORT@#$port#g" \
		"$LAB_DIR/radius/radiusd.conf.in" >"$conf/radiusd.conf"
	: >"$conf/dictionary"
	printf '"%s" Cleartext-Password := "%s"\n' "$USER_NAME" "$USER_PASSWORD" >"$conf/users"
	bg "freeradius-$node" ip netns exec "$NS_S" freeradius -X -d "$conf" -n radiusd
	wait_port "$NS_S" u "$port"
}

if [ "$NODES" = 1 ]; then
	start_node a "$SERVER_IP" 1812 10.77.0.0/24
else
	build_go radrelay
	start_node a 127.0.0.1 18121 127.0.0.0/8
	start_node b 127.0.0.1 18122 127.0.0.0/8
	bg radrelay ip netns exec "$NS_S" "$LAB_TMP/radrelay" -listen "$SERVER_IP:1812" \
		-backend 127.0.0.1:18121 -backend 127.0.0.1:18122
	wait_port "$NS_S" u 1812
fi

cat >"$LAB_TMP/peap.conf" <<EOF
network={
	key_mgmt=IEEE8021X
	eap=PEAP
	identity="$USER_NAME"
	password="$USER_PASSWORD"
	ca_cert="$LAB_TMP/certs/ca.pem"
	phase1="peapver=0 tls_disable_tlsv1_3=1"
	phase2="auth=MSCHAPV2"
}
EOF

# Capture RADIUS on the front port, and the non-first fragments of IP
# datagrams (they carry no UDP header, so "udp port" alone would miss them).
pcap=$CAPTURES_DIR/$name.pcapng
start_capture "$pcap" "ip and (udp port 1812 or (ip[6:2] & 0x1fff) != 0)"

extra=(-N32:s:lab-nas -N30:s:02-00-5E-00-00-FE:lab-ssid)
[ -n "$FRAMED_MTU" ] && extra+=("-N12:d:$FRAMED_MTU")
log "$name: eapol_test -r$REAUTH -M $MAC against $SERVER_IP:1812 ($NODES node(s), cache=$CACHE)"
rc=0
in_c eapol_test -c "$LAB_TMP/peap.conf" -a "$SERVER_IP" -p 1812 -s "$SECRET" \
	-A "$CLIENT_IP" -r "$REAUTH" -t 20 -M "$MAC" "${extra[@]}" >"$LAB_TMP/eapol_test.out" 2>&1 || rc=$?
stop_capture
log "$name: eapol_test exit code $rc ($(tail -1 "$LAB_TMP/eapol_test.out"))"

# Stop the servers so their logs are complete.
for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
LAB_PIDS=()

server_logs=()
for ((i = 0; i < NODES; i++)); do
	server_logs+=("--server-log" "${node_names[$i]}=$LAB_TMP/freeradius-${node_names[$i]}.out")
done
relay_args=()
[ "$NODES" = 2 ] && relay_args=(--relay-log "$LAB_TMP/radrelay.out")

python3 "$LAB_DIR/truth.py" peap --name "$name" --pcap "$pcap" \
	--client-log "$LAB_TMP/eapol_test.out" "${server_logs[@]}" "${relay_args[@]}" \
	--redact "$USER_PASSWORD" \
	--eapol-test-rc "$rc" --cache "$CACHE" --nodes "$NODES" \
	--out-dir "$CAPTURES_DIR"
