#!/usr/bin/env bash
# Benchmark sscope against the bare pcap read loop (the ceiling) and tshark
# on the same captures: a span-like capture and a RADIUS/EAP-dense one.
#
# Environment (all optional):
#   BENCH_DIR          where captures and tools go (default /tmp/sscope-bench)
#   SPAN_SIZE          size of the span capture (default 5G; K/M/G = powers of 1024)
#   DENSE_SIZE         size of the dense capture (default 300M)
#   SEED               generator seed (default 1)
#   TEMPLATES          space-separated template captures (default: the lab
#                      captures samples/lab/captures/*.pcapng when present,
#                      else RADIUS/EAP and TLS captures of ../shared/corpus)
#   RADIUS_SECRET      shared secret of the templates' RADIUS packets; when set
#                      the generators re-sign the rewritten packets
#   SSCOPE             sscope binary (default: built from ./cmd/sscope into
#                      $BENCH_DIR/bin/sscope; the leg is skipped if it does not build)
#   TSHARK_SPAN_LIMIT  run tshark on the first N MB (10^6 bytes) of the span
#                      capture and extrapolate (default 1000; 0 = whole file)
#   RUNS               runs per leg, the fastest is kept (default 1)
#   RECORD=1           also write the table to bench/results/<date>.md
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"

BENCH_DIR=${BENCH_DIR:-/tmp/sscope-bench}
SPAN_SIZE=${SPAN_SIZE:-5G}
DENSE_SIZE=${DENSE_SIZE:-300M}
SEED=${SEED:-1}
TSHARK_SPAN_LIMIT=${TSHARK_SPAN_LIMIT:-1000}
RUNS=${RUNS:-1}
RECORD=${RECORD:-0}
bin=$BENCH_DIR/bin
mkdir -p "$bin"

log() { printf '%s\n' "$*" >&2; }

# ---- templates -------------------------------------------------------------
if [[ -z ${TEMPLATES:-} ]]; then
	shopt -s nullglob
	lab=(samples/lab/captures/*.pcapng)
	shopt -u nullglob
	if ((${#lab[@]} > 0)); then
		TEMPLATES="${lab[*]}"
	else
		TEMPLATES="../shared/corpus/zeek/Traces/radius/radius_localhost.pcap ../shared/corpus/tcpdump/RADIUS.pcap ../shared/corpus/arkime/openssl-tls1_2.pcap ../shared/corpus/arkime/tls-client-sessionid.pcap"
	fi
fi
read -r -a templates <<<"$TEMPLATES"
tflags=()
for t in "${templates[@]}"; do
	[[ -f $t ]] || { log "template $t not found"; exit 1; }
	tflags+=(-template "$t")
done
secret_flags=()
[[ -n ${RADIUS_SECRET:-} ]] && secret_flags=(-secret "$RADIUS_SECRET")
# ---- tools -----------------------------------------------------------------
log "building the benchmark tools into $bin"
for tool in genspan gendense readloop pcaphead; do
	go build -o "$bin/$tool" "./bench/$tool"
done

# Captures are named by size, seed, template list, secret and generator
# build, so changing any of them makes new files instead of reusing stale
# ones.
tag() { { printf '%s|%s|' "$TEMPLATES" "${RADIUS_SECRET:-}"; cat "$bin/$1"; } | cksum | cut -d' ' -f1; }

if [[ -z ${SSCOPE:-} ]]; then
	SSCOPE=$bin/sscope
	if [[ -d cmd/sscope ]] && go build -o "$SSCOPE" ./cmd/sscope 2>"$BENCH_DIR/sscope-build.log"; then
		log "built sscope from ./cmd/sscope"
	else
		log "sscope leg skipped: ./cmd/sscope does not build yet (see $BENCH_DIR/sscope-build.log)"
		SSCOPE=
	fi
elif [[ ! -x $SSCOPE ]]; then
	log "sscope leg skipped: $SSCOPE is not executable"
	SSCOPE=
fi
tshark=$(command -v tshark || true)
[[ -z $tshark ]] && log "tshark leg skipped: tshark is not installed"

# ---- captures --------------------------------------------------------------
span=$BENCH_DIR/span-$SPAN_SIZE-s$SEED-$(tag genspan).pcap
dense=$BENCH_DIR/dense-$DENSE_SIZE-s$SEED-$(tag gendense).pcap
if [[ ! -s $span ]]; then
	log "generating $span"
	"$bin/genspan" -size "$SPAN_SIZE" -seed "$SEED" -o "$span.tmp" "${tflags[@]}" "${secret_flags[@]}"
	mv "$span.tmp" "$span"
fi
if [[ ! -s $dense ]]; then
	log "generating $dense"
	"$bin/gendense" -size "$DENSE_SIZE" -seed "$SEED" -o "$dense.tmp" "${tflags[@]}" "${secret_flags[@]}"
	mv "$dense.tmp" "$dense"
fi

# ---- measuring -------------------------------------------------------------
now() { date +%s.%N; }

# measure OUT CMD...: runs CMD (stdout to OUT) and sets secs, rss_kb, status.
measure() {
	local out=$1
	shift
	local t0 t1 tv
	tv=$(mktemp)
	t0=$(now)
	if [[ -x /usr/bin/time ]]; then
		set +e
		/usr/bin/time -v -o "$tv" "$@" >"$out" 2>>"$BENCH_DIR/stderr.log"
		status=$?
		set -e
		rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
	else
		# No /usr/bin/time: poll the peak resident size (VmHWM) of the process.
		"$@" >"$out" 2>>"$BENCH_DIR/stderr.log" &
		local pid=$! hwm=0 v
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
			[[ -n $v ]] && ((v > hwm)) && hwm=$v
			sleep 0.05
		done
		set +e
		wait "$pid"
		status=$?
		set -e
		rss_kb=$hwm
	fi
	t1=$(now)
	rm -f "$tv"
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
	: "${rss_kb:=0}"
}

# best OUT CMD...: RUNS runs of measure, keeping the fastest successful one.
best() {
	local out=$1 b_secs="" b_rss=0 b_status=1 i
	shift
	for ((i = 0; i < RUNS; i++)); do
		measure "$out" "$@"
		if ((status == 0)) && { [[ -z $b_secs ]] || awk -v a="$secs" -v b="$b_secs" 'BEGIN {exit !(a < b)}'; }; then
			b_secs=$secs b_rss=$rss_kb b_status=0
		elif [[ -z $b_secs ]]; then
			b_status=$status
		fi
	done
	secs=${b_secs:-$secs} rss_kb=$b_rss status=$b_status
}

rows=$BENCH_DIR/rows.tsv
: >"$rows"
: >"$BENCH_DIR/stderr.log"
notes=()

# row CAPTURE SIZE_BYTES TOOL SECS PACKETS RSS_KB NOTE
row() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }

for cap in "$span" "$dense"; do
	name=$(basename "$cap" .pcap)
	size=$(stat -c %s "$cap")
	log "warming the page cache with $name"
	cat "$cap" >/dev/null

	best "$BENCH_DIR/last.out" "$bin/readloop" "$cap"
	packets=$(sed -n 's/.*packets=\([0-9]*\) .*/\1/p' "$BENCH_DIR/last.out")
	row "$name" "$size" readloop "$secs" "$packets" "$rss_kb" ""

	if [[ -n $SSCOPE ]]; then
		# ndjson streams sessions as they close (memory bounded by the
		# sessions in progress); json holds every session for one document.
		for format in ndjson json; do
			log "sscope analyze --format $format $name"
			best /dev/null "$SSCOPE" analyze --format "$format" -o /dev/null "$cap"
			if ((status == 0)); then
				row "$name" "$size" "sscope $format" "$secs" "$packets" "$rss_kb" ""
			else
				row "$name" "$size" "sscope $format" "" "$packets" "" "failed (exit $status, see $BENCH_DIR/stderr.log)"
			fi
		done
	fi

	if [[ -n $tshark ]]; then
		target=$cap scale=1 note=""
		limit_bytes=$((TSHARK_SPAN_LIMIT * 1000000))
		if [[ $cap == "$span" ]] && ((TSHARK_SPAN_LIMIT > 0 && size > limit_bytes)); then
			target=$BENCH_DIR/$name-first${TSHARK_SPAN_LIMIT}MB.pcap
			[[ -s $target ]] || "$bin/pcaphead" -size "$limit_bytes" -o "$target" "$cap" >&2
			cat "$target" >/dev/null
			scale=$(awk -v a="$size" -v b="$(stat -c %s "$target")" 'BEGIN {printf "%.6f", a / b}')
			note="extrapolated ×$scale from the first $TSHARK_SPAN_LIMIT MB; RSS of that run"
		fi
		log "tshark on $(basename "$target")"
		best /dev/null "$tshark" -r "$target" -Y 'radius || eap || tls.handshake'
		if ((status == 0)); then
			secs=$(awk -v s="$secs" -v k="$scale" 'BEGIN {printf "%.3f", s * k}')
			row "$name" "$size" tshark "$secs" "$packets" "$rss_kb" "$note"
		else
			row "$name" "$size" tshark "" "$packets" "" "failed (exit $status)"
		fi
	fi
done

# ---- table -----------------------------------------------------------------
# Columns: capture, size MB, tool, seconds, MB/s, packets/s, peak RSS MB,
# speed relative to tshark (tshark seconds / tool seconds), note.
table=$(awk -F'\t' '
	{ cap[NR]=$1; size[NR]=$2; tool[NR]=$3; secs[NR]=$4; pk[NR]=$5; rss[NR]=$6; note[NR]=$7
	  if ($3 == "tshark" && $4 != "") ts[$1] = $4 }
	END {
		print "capture\tsize MB\ttool\tseconds\tMB/s\tpackets/s\tpeak RSS MB\tvs tshark\tnote"
		for (i = 1; i <= NR; i++) {
			mb = size[i] / 1e6
			if (secs[i] == "") { printf "%s\t%.0f\t%s\t-\t-\t-\t-\t-\t%s\n", cap[i], mb, tool[i], note[i]; continue }
			s = secs[i] + 0; if (s <= 0) s = 0.001
			ratio = (cap[i] in ts) ? sprintf("%.1fx", ts[cap[i]] / s) : "n/a"
			printf "%s\t%.0f\t%s\t%.2f\t%.0f\t%.0f\t%.0f\t%s\t%s\n", cap[i], mb, tool[i], secs[i], mb / s, pk[i] / s, rss[i] / 1024, ratio, note[i]
		}
	}' "$rows")

echo
printf '%s\n' "$table" | column -t -s $'\t'
echo
echo "MB = 10^6 bytes; sizes and MB/s over the capture file; the page cache was warm for every leg."

if [[ $RECORD == 1 ]]; then
	mkdir -p "$here/results"
	out=$here/results/$(date +%Y-%m-%d).md
	{
		echo "# Benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo
		echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$([[ -z $(git status --porcelain 2>/dev/null) ]] || echo ' (uncommitted changes)')"
		echo "- machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GB", $2/1e6}' /proc/meminfo)"
		echo "- $(go version)"
		[[ -n $tshark ]] && echo "- $("$tshark" --version 2>/dev/null | head -1)"
		echo "- span: SPAN_SIZE=$SPAN_SIZE, dense: DENSE_SIZE=$DENSE_SIZE, SEED=$SEED, RUNS=$RUNS, TSHARK_SPAN_LIMIT=$TSHARK_SPAN_LIMIT"
		echo "- templates: ${TEMPLATES}"
		echo
		printf '%s\n' "$table" | awk -F'\t' 'NR == 1 { h = "|"; s = "|"; for (i = 1; i <= NF; i++) { h = h " " $i " |"; s = s " --- |" } print h; print s; next }
			{ r = "|"; for (i = 1; i <= NF; i++) r = r " " $i " |"; print r }'
		echo
		echo "MB = 10^6 bytes; the page cache was warm for every leg."
	} >"$out"
	log "wrote $out"
fi
