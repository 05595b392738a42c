#!/bin/bash
# tls.sh NAME : make the "TLS behind a round-robin load balancer" lab capture
# NAME (T1, T2, T3). Two TLS 1.2 backends on the server namespace's loopback,
# tlsfarm's round-robin TCP proxy on SERVER_IP:443, and openssl s_client in
# the client namespace making sequential connections that reuse its session
# (-sess_in/-sess_out). Only the client<->proxy leg is captured.

. "$(dirname "$0")/lib.sh"

name=${1:?usage: tls.sh T1|T2|T3}
case $name in
T1) CONNS=5 ;;
T2) CONNS=5 ;;
T3) CONNS=4 ;;
*) die "unknown TLS scenario $name" ;;
esac

need_tools openssl dumpcap tshark ip ss python3 go
lab_tmp
mkdir -p "$CAPTURES_DIR"
make_certs "$LAB_TMP/certs"
make_netns
build_go tlsfarm
C=$LAB_TMP/certs

server_logs=()
for i in 1 2; do
	port=944$i
	case $name in
	T1)
		# OpenSSL server with its own (per-process) session cache, no tickets.
		bg "backend$i" ip netns exec "$NS_S" openssl s_server -accept "127.0.0.1:$port" -tls1_2 \
			-no_ticket -www -cert "$C/server.pem" -cert_chain "$C/int.pem" -key "$C/server.key"
		peers="openssl s_server x2 (own session cache each, -no_ticket) behind tlsfarm proxy; client openssl s_client -tls1_2"
		;;
	T2)
		# Go crypto/tls servers sharing one RFC 5077 ticket key.
		[ -f "$LAB_TMP/ticket.key" ] || openssl rand -hex 32 >"$LAB_TMP/ticket.key"
		bg "backend$i" ip netns exec "$NS_S" "$LAB_TMP/tlsfarm" server -listen "127.0.0.1:$port" \
			-cert "$C/server-chain.pem" -key "$C/server.key" -ticket-key "$LAB_TMP/ticket.key" -name "backend$i"
		peers="tlsfarm server x2 (Go crypto/tls, shared session ticket key) behind tlsfarm proxy; client openssl s_client -tls1_2"
		;;
	T3)
		# OpenSSL server with the session cache off and no tickets.
		bg "backend$i" ip netns exec "$NS_S" openssl s_server -accept "127.0.0.1:$port" -tls1_2 \
			-no_cache -no_ticket -www -cert "$C/server.pem" -cert_chain "$C/int.pem" -key "$C/server.key"
		peers="openssl s_server x2 (-no_cache -no_ticket) behind tlsfarm proxy; client openssl s_client -tls1_2"
		;;
	esac
	server_logs+=("$LAB_TMP/backend$i.out")
	wait_port "$NS_S" t "$port"
done
bg proxy ip netns exec "$NS_S" "$LAB_TMP/tlsfarm" proxy -listen "$SERVER_IP:443" \
	-backend 127.0.0.1:9441 -backend 127.0.0.1:9442
wait_port "$NS_S" t 443

pcap=$CAPTURES_DIR/$name.pcapng
start_capture "$pcap" "tcp port 443"

client_logs=()
sess=$LAB_TMP/session.pem
: >"$LAB_TMP/keylog"
for n in $(seq "$CONNS"); do
	in=()
	[ -s "$sess" ] && in=(-sess_in "$sess")
	out=$LAB_TMP/s_client-$n.out
	printf 'GET / HTTP/1.0\r\n\r\n' | in_c openssl s_client -connect "$SERVER_IP:443" -tls1_2 \
		-servername server.lab.example -CAfile "$C/ca.pem" -verify_return_error \
		-msg -ign_eof "${in[@]}" -sess_out "$sess.new" -keylogfile "$LAB_TMP/keylog-$n" >"$out" 2>&1 ||
		log "s_client connection $n exited non-zero"
	[ -s "$sess.new" ] && mv "$sess.new" "$sess"
	cat "$LAB_TMP/keylog-$n" >>"$LAB_TMP/keylog" 2>/dev/null || true
	client_logs+=("$out")
	log "$name: connection $n: $(grep -m1 -E '^(New|Reused), ' "$out" || echo 'no handshake')"
	sleep 0.2
done
stop_capture

for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
LAB_PIDS=()

# The key log lets a decoder (or Wireshark) open the application data.
grep -v '^#' "$LAB_TMP/keylog" >"$CAPTURES_DIR/$name.keylog" || true

python3 "$LAB_DIR/truth.py" tls --name "$name" --pcap "$pcap" --peers "$peers" \
	--proxy-log "$LAB_TMP/proxy.out" --client-logs "${client_logs[@]}" \
	--server-logs "${server_logs[@]}" --out-dir "$CAPTURES_DIR"
