#!/bin/bash
# make.sh [NAME...] : regenerate the lab captures (all of them by default)
# into captures/. Needs root, Debian's freeradius, hostapd, eapoltest,
# openssl, wireshark-common (dumpcap), tshark, iproute2, python3, gcc and
# libssl-dev (fast.sh's key log library) and a Go toolchain; installs nothing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
all=(P1 P1-ipfrag P2 P3 P-nocache T1 T2 T3 F-prov)
names=("$@")
((${#names[@]})) || names=("${all[@]}")
for n in "${names[@]}"; do
	case $n in
	P*) "$here/peap.sh" "$n" ;;
	T*) "$here/tls.sh" "$n" ;;
	F*) "$here/fast.sh" "$n" ;;
	*) echo "unknown capture $n (known: ${all[*]})" >&2; exit 2 ;;
	esac
done
