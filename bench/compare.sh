#!/usr/bin/env bash
# Builds the same N-item library site with circulate and with Hugo, several
# times each from clean, alternating, and prints the median wall time, the
# pages written, pages per second and peak memory of each, and the ratios
# circulate/Hugo.
#
#   bench/compare.sh N [RUNS]        (RUNS defaults to 5)
#
# BENCH_DIR sets the work folder (default /tmp/circulate-bench-N); the
# corpus there is reused when it was made with the same N.
set -euo pipefail

n=${1:?usage: bench/compare.sh N [RUNS]}
runs=${2:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/circulate-bench-$n}
now=2026-11-28T09:00 # the corpus's own "now": every item visible, builds reproducible

need_apt() { # command package
	command -v "$1" >/dev/null && return
	echo "installing $2 (Debian package)..." >&2
	apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
need_apt hugo hugo
[ -x /usr/bin/time ] || need_apt /usr/bin/time time

mkdir -p "$work"
echo "circulate: $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$repo" && git diff --quiet 2>/dev/null || echo '+changes'); $(hugo version | cut -d' ' -f1-2); $(nproc) cores; N=$n, $runs runs each"
(cd "$repo" && go build -o "$work/circulate" ./cmd/circulate)
if [ "$(cat "$work/corpus.n" 2>/dev/null)" != "$n" ]; then
	(cd "$repo" && go run ./bench/corpus -n "$n" -seed 1 -out "$work/corpus")
	echo "$n" >"$work/corpus.n"
fi

# Every build writes into a folder of its own, and all are removed at the
# end: this disk is mounted with `discard`, and deleting a big site right
# before a build makes that build wait for the discards.
runs_dir="$work/runs"
rm -rf "$runs_dir"
mkdir -p "$runs_dir"
trap 'rm -rf "$runs_dir"' EXIT

# measure TOOL RUN: one build into an empty folder; appends "seconds
# peak_kib pages" to $work/TOOL.times unless RUN is "warm-up".
measure() {
	local tool=$1 out="$runs_dir/$1-$2" t="$work/time.txt"
	rm -rf "$work/corpus/hugo/resources"
	case $tool in
	circulate) cmd=("$work/circulate" build --source "$work/corpus/circulate" --out "$out" --now "$now" --no-publish) ;;
	hugo) cmd=(hugo --source "$work/corpus/hugo" --destination "$out" --themesDir "$repo/bench" --quiet) ;;
	esac
	sync
	if ! /usr/bin/time -v -o "$t" "${cmd[@]}" >"$work/$tool.log" 2>&1; then
		echo "FAIL: $tool build failed:" >&2
		tail -20 "$work/$tool.log" >&2
		exit 1
	fi
	# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:07.12"
	local wall rss pages
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$t")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
	pages=$(find "$out" -name index.html | wc -l)
	[ "$2" = warm-up ] || echo "$wall $rss $pages" >>"$work/$tool.times"
}

rm -f "$work/circulate.times" "$work/hugo.times"
# One unmeasured build each reads the corpus into the page cache.
measure circulate warm-up
measure hugo warm-up
for i in $(seq 1 "$runs"); do
	# Alternate who goes first, so neither always gets the warmer cache.
	if [ $((i % 2)) -eq 1 ]; then measure circulate $i; measure hugo $i; else measure hugo $i; measure circulate $i; fi
	echo "run $i: circulate $(tail -1 "$work/circulate.times"), hugo $(tail -1 "$work/hugo.times") (s, KiB, pages)" >&2
done

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
declare -A wall rss pages
for tool in circulate hugo; do
	wall[$tool]=$(cut -d' ' -f1 "$work/$tool.times" | median)
	rss[$tool]=$(cut -d' ' -f2 "$work/$tool.times" | median)
	pages[$tool]=$(cut -d' ' -f3 "$work/$tool.times" | sort -n | tail -1)
done

printf '\n%-10s %10s %8s %10s %12s\n' tool "wall (s)" pages "pages/s" "peak (MiB)"
for tool in circulate hugo; do
	awk -v t=$tool -v w="${wall[$tool]}" -v p="${pages[$tool]}" -v r="${rss[$tool]}" \
		'BEGIN {printf "%-10s %10.2f %8d %10.0f %12.0f\n", t, w, p, p / w, r / 1024}'
done
awk -v cw="${wall[circulate]}" -v hw="${wall[hugo]}" -v cr="${rss[circulate]}" -v hr="${rss[hugo]}" -v n="$n" \
	'BEGIN {printf "ratio circulate/hugo: time %.2f, memory %.2f; circulate %.1f µs per item\n", cw / hw, cr / hr, cw / n * 1e6}'

# Both must have written about one page per item plus lists and tag pages;
# far off means one of them skipped content, and the timing means nothing.
lo=$((n + 20)) hi=$((n * 12 / 10 + 60))
for tool in circulate hugo; do
	if [ "${pages[$tool]}" -lt $lo ] || [ "${pages[$tool]}" -gt $hi ]; then
		echo "FAIL: $tool wrote ${pages[$tool]} pages (index.html); expected $lo to $hi for $n items" >&2
		exit 1
	fi
done
