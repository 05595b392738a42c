# Shared helpers for the lab capture scripts (sourced by peap.sh and tls.sh).
# Everything runs in a private temporary directory and two private network
# namespaces joined by a veth pair; nothing under /etc is read or written.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CAPTURES_DIR=${CAPTURES_DIR:-$LAB_DIR/captures}

# Addresses on the veth pair: the "client" side (supplicant/NAS, TLS client)
# and the "server" side (RADIUS servers or relay, TLS proxy and backends).
CLIENT_IP=10.77.0.2
SERVER_IP=10.77.0.1
VETH_MTU=${VETH_MTU:-1500}

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

# need_tools TOOL... : fail with the list of missing tools (and the Debian
# package that provides each) instead of installing anything.
need_tools() {
	local missing=() t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || missing+=("$t")
	done
	if ((${#missing[@]})); then
		local pkgs=""
		for t in "${missing[@]}"; do
			case $t in
			freeradius) pkgs+=" freeradius" ;;
			eapol_test) pkgs+=" eapoltest" ;;
			dumpcap) pkgs+=" wireshark-common" ;;
			tshark) pkgs+=" tshark" ;;
			openssl) pkgs+=" openssl" ;;
			ip) pkgs+=" iproute2" ;;
			python3) pkgs+=" python3" ;;
			go) pkgs+=" (Go toolchain)" ;;
			*) pkgs+=" ?" ;;
			esac
		done
		die "missing tools: ${missing[*]} (Debian packages:$pkgs)"
	fi
	[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, packet capture)"
}

# Cleanup: every background process we start is recorded in LAB_PIDS and
# stopped by pid; namespaces in LAB_NETNS are deleted; LAB_TMP is removed
# unless LAB_KEEP=1.
LAB_PIDS=()
LAB_NETNS=()
LAB_TMP=""

lab_cleanup() {
	local pid ns
	for pid in "${LAB_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${LAB_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	LAB_PIDS=()
	for ns in "${LAB_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	LAB_NETNS=()
	if [ -n "$LAB_TMP" ] && [ "${LAB_KEEP:-0}" != 1 ]; then
		rm -rf "$LAB_TMP"
	elif [ -n "$LAB_TMP" ]; then
		log "kept $LAB_TMP"
	fi
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

lab_tmp() {
	LAB_TMP=$(mktemp -d /tmp/sscope-lab.XXXXXX)
}

# bg NAME CMD... : start CMD in the background with stdout+stderr to
# $LAB_TMP/NAME.out and remember its pid.
bg() {
	local name=$1
	shift
	"$@" >"$LAB_TMP/$name.out" 2>&1 &
	LAB_PIDS+=($!)
}

# stop_pid PID : stop one process we started (SIGINT first, as dumpcap wants).
stop_pid() {
	local pid=$1 i
	kill -INT "$pid" 2>/dev/null || true
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# make_netns : two namespaces, NS_C (client side) and NS_S (server side),
# joined by veth "vc" <-> "vs" with MTU $VETH_MTU and segmentation offload
# limited so that captured frames never exceed the MTU.
make_netns() {
	NS_C=sslab-c-$$
	NS_S=sslab-s-$$
	ip netns add "$NS_C"
	LAB_NETNS+=("$NS_C")
	ip netns add "$NS_S"
	LAB_NETNS+=("$NS_S")
	ip -n "$NS_C" link add vc type veth peer name vs netns "$NS_S"
	ip -n "$NS_C" link set vc mtu "$VETH_MTU" gso_max_size 1500 gso_max_segs 1
	ip -n "$NS_S" link set vs mtu "$VETH_MTU" gso_max_size 1500 gso_max_segs 1
	ip -n "$NS_C" addr add "$CLIENT_IP/24" dev vc
	ip -n "$NS_S" addr add "$SERVER_IP/24" dev vs
	ip -n "$NS_C" link set lo up
	ip -n "$NS_S" link set lo up
	ip -n "$NS_C" link set vc up
	ip -n "$NS_S" link set vs up
	# Let the veth pair finish coming up (no IPv6 DAD traffic is captured:
	# the capture filters below select IPv4).
	local i
	for i in $(seq 50); do
		if [ "$(ip netns exec "$NS_C" cat /sys/class/net/vc/operstate)" = up ] &&
			[ "$(ip netns exec "$NS_S" cat /sys/class/net/vs/operstate)" = up ]; then
			return 0
		fi
		sleep 0.1
	done
	die "veth pair did not come up"
}

in_c() { ip netns exec "$NS_C" "$@"; }
in_s() { ip netns exec "$NS_S" "$@"; }

# start_capture FILE FILTER : dumpcap on the server side of the veth pair.
start_capture() {
	local file=$1 filter=$2 i
	CAPTURE_FILE=$file
	rm -f "$file"
	in_s dumpcap -q -i vs -f "$filter" -w "$file" >"$LAB_TMP/dumpcap.out" 2>&1 &
	CAPTURE_PID=$!
	LAB_PIDS+=("$CAPTURE_PID")
	for i in $(seq 100); do
		[ -s "$file" ] && break
		sleep 0.1
	done
	[ -s "$file" ] || die "dumpcap did not start: $(cat "$LAB_TMP/dumpcap.out")"
	sleep 0.5
}

stop_capture() {
	sleep 0.5
	stop_pid "$CAPTURE_PID"
	chmod 644 "$CAPTURE_FILE"
}

# wait_udp_port NS PORT / wait_tcp_port NS PORT : wait until something listens.
wait_port() {
	local ns=$1 proto=$2 port=$3 i
	for i in $(seq 100); do
		if ip netns exec "$ns" ss -H -l "-$proto" -n "sport = :$port" | grep -q .; then
			return 0
		fi
		sleep 0.1
	done
	die "nothing listens on $proto port $port in $ns"
}

# build_go NAME : build samples/lab/NAME into $LAB_TMP/NAME.
build_go() {
	(cd "$LAB_DIR" && go build -o "$LAB_TMP/$1" "./$1")
}

# make_certs DIR : a root CA, an issuing CA and a server certificate (RSA,
# SHA-256), so the server sends a three-certificate chain of about 4 KB.
make_certs() {
	local d=$1
	mkdir -p "$d"
	(
		cd "$d"
		openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.pem -days 3650 \
			-subj "/O=SessionScope Lab/CN=SessionScope Lab Root CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
		openssl req -newkey rsa:3072 -nodes -keyout int.key -out int.csr \
			-subj "/O=SessionScope Lab/CN=SessionScope Lab Issuing CA" 2>/dev/null
		printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >int.ext
		openssl x509 -req -in int.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out int.pem \
			-days 3650 -extfile int.ext 2>/dev/null
		openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
			-subj "/O=SessionScope Lab/CN=server.lab.example" 2>/dev/null
		printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:server.lab.example\n' >server.ext
		openssl x509 -req -in server.csr -CA int.pem -CAkey int.key -CAcreateserial -out server.pem \
			-days 3650 -extfile server.ext 2>/dev/null
		cat server.pem int.pem >server-chain.pem
	)
}

# tool_versions : one line per tool, for the README and the truth files.
tool_versions() {
	{
		freeradius -v 2>/dev/null | head -1 || true
		eapol_test -v 2>&1 | head -1 || true
		openssl version
		tshark -v 2>/dev/null | head -1
		go version 2>/dev/null || true
		uname -sr
	} | sed 's/^/  /'
}
