#!/bin/sh
# Makes radius-fragmented.pcapng: RADIUS Access-Request/Access-Challenge
# pairs of about 4 kB over IPv4 and IPv6, fragmented by the kernel over a
# veth pair with MTU 1500 between two network namespaces, captured at the
# receiving end with dumpcap. Needs root, iproute2, python3, dumpcap.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/radius-fragmented.pcapng"
a=sscope-fa b=sscope-fb
cleanup() { ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $a
ip netns add $b
ip link add sscope-va type veth peer name sscope-vb
ip link set sscope-va netns $a
ip link set sscope-vb netns $b
for ns in $a $b; do ip -n $ns link set lo up; done
ip -n $a link set sscope-va address 02:00:00:00:00:01 mtu 1500 up
ip -n $b link set sscope-vb address 02:00:00:00:00:02 mtu 1500 up
ip -n $a addr add 192.0.2.1/24 dev sscope-va
ip -n $b addr add 192.0.2.2/24 dev sscope-vb
ip -n $a addr add 2001:db8:f::1/64 dev sscope-va nodad
ip -n $b addr add 2001:db8:f::2/64 dev sscope-vb nodad
ip netns exec $b dumpcap -q -i sscope-vb -w "$out" -a duration:6 &
cap=$!
sleep 2
ip netns exec $b python3 "$here/radius_peer.py" server 192.0.2.2 &
s4=$!
ip netns exec $b python3 "$here/radius_peer.py" server 2001:db8:f::2 &
s6=$!
sleep 1
ip netns exec $a python3 "$here/radius_peer.py" client 192.0.2.2 42
ip netns exec $a python3 "$here/radius_peer.py" client 2001:db8:f::2 43
wait $cap
kill $s4 $s6 2>/dev/null || true
