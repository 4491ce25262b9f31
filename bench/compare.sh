#!/usr/bin/env bash
# Builds the same N-item library site with circulate and with Hugo, for
# each corpus shape (bench/sitegen/shape.go), several times each from clean,
# alternating, and prints per shape the median wall time, CPU time
# (user + system), peak memory and pages of each tool, the ratios
# circulate/Hugo, and the largest HTML page each wrote.
#
#   bench/compare.sh N [RUNS [SHAPE...]]   (RUNS defaults to 5, SHAPEs to all)
#
# Every shape is measured in the same run, one after the other, so that the
# ratios of all shapes come from the same machine state. BENCH_DIR sets the
# work folder (default /tmp/circulate-bench-N); a corpus there is reused
# when it was made with the same N and shape.
set -euo pipefail

n=${1:?usage: bench/compare.sh N [RUNS [SHAPE...]]}
runs=${2:-5}
shift $(($# < 2 ? $# : 2))
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
(cd "$repo" && go build -o "$work/circulate" ./cmd/circulate)
if [ $# -gt 0 ]; then
	shapes=("$@")
else
	mapfile -t shapes < <(cd "$repo" && go run ./bench/corpus -list | cut -d' ' -f1)
fi
echo "circulate: $(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$repo" && git diff --quiet 2>/dev/null || echo '+changes'); $(hugo version | cut -d' ' -f1-2); $(nproc) cores; N=$n, $runs runs each; shapes: ${shapes[*]}"

# Every build writes into a folder of its own, and all are removed at the
# end, never between builds: deleting a big site right before a build makes
# that build wait for the disk's discards, and on ext4 makes every file and
# folder it creates cost more CPU (the allocator skips inodes deleted in the
# last minutes: `recently_deleted` in a perf profile).
#
# The same holds for the folders of this script's previous run, removed
# when it ended: ext4 counts an inode as recently deleted for 60 s, or 360 s
# while its inode table is not yet written back. So a run that follows
# another within 6 minutes waits out the rest first.
runs_dir="$work/runs"
settle=360
if [ -f "$work/removed-at" ]; then
	wait_s=$(($(cat "$work/removed-at") + settle - $(date +%s)))
	if [ "$wait_s" -gt 0 ]; then
		echo "waiting ${wait_s} s: the previous run's builds were removed less than ${settle} s ago (see bench/compare.sh)" >&2
		sleep "$wait_s"
	fi
fi
rm -rf "$runs_dir"
mkdir -p "$runs_dir"
trap 'rm -rf "$runs_dir"; date +%s >"$work/removed-at"' EXIT

# measure SHAPE TOOL RUN: one build into an empty folder; appends "wall cpu
# peak_kib pages sys largest_bytes largest_file" to $work/SHAPE.TOOL.times
# unless RUN is "warm-up".
measure() {
	local shape=$1 tool=$2 out="$runs_dir/$1-$2-$3" t="$work/time.txt" corpus="$work/$1"
	rm -rf "$corpus/hugo/resources"
	case $tool in
	circulate) cmd=("$work/circulate" build --source "$corpus/circulate" --out "$out" --now "$now" --no-publish --quiet) ;;
	hugo) cmd=(hugo --source "$corpus/hugo" --destination "$out" --themesDir "$repo/bench" --quiet) ;;
	esac
	sync
	if ! /usr/bin/time -v -o "$t" "${cmd[@]}" >"$work/$tool.log" 2>&1; then
		echo "FAIL: $tool build of $shape failed:" >&2
		tail -20 "$work/$tool.log" >&2
		exit 1
	fi
	# "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:07.12"
	local wall cpu sys rss pages largest
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$t")
	cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$t")
	sys=$(awk -F': ' '/System time/ {print $2}' "$t")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
	pages=$(find "$out" -name index.html | wc -l)
	largest=$(find "$out" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)
	[ "$3" = warm-up ] || echo "$wall $cpu $rss $pages $sys $largest" >>"$work/$shape.$tool.times"
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

summary=()
for shape in "${shapes[@]}"; do
	corpus="$work/$shape"
	if [ "$(cat "$corpus/corpus.n" 2>/dev/null)" != "$n" ]; then
		(cd "$repo" && go run ./bench/corpus -n "$n" -seed 1 -shape "$shape" -out "$corpus")
		echo "$n" >"$corpus/corpus.n"
	fi
	rm -f "$work/$shape.circulate.times" "$work/$shape.hugo.times"
	# One unmeasured build each reads the corpus into the page cache.
	measure "$shape" circulate warm-up
	measure "$shape" hugo warm-up
	for i in $(seq 1 "$runs"); do
		# Alternate who goes first, so neither always gets the warmer cache.
		if [ $((i % 2)) -eq 1 ]; then measure "$shape" circulate "$i"; measure "$shape" hugo "$i"; else measure "$shape" hugo "$i"; measure "$shape" circulate "$i"; fi
		echo "$shape run $i: circulate $(tail -1 "$work/$shape.circulate.times" | cut -d' ' -f1-4), hugo $(tail -1 "$work/$shape.hugo.times" | cut -d' ' -f1-4) (wall s, cpu s, peak KiB, pages)" >&2
	done

	declare -A wall cpu sys rss pages largest
	for tool in circulate hugo; do
		f="$work/$shape.$tool.times"
		wall[$tool]=$(cut -d' ' -f1 "$f" | median)
		cpu[$tool]=$(cut -d' ' -f2 "$f" | median)
		rss[$tool]=$(cut -d' ' -f3 "$f" | median)
		pages[$tool]=$(cut -d' ' -f4 "$f" | sort -n | tail -1)
		sys[$tool]=$(cut -d' ' -f5 "$f" | median)
		largest[$tool]=$(cut -d' ' -f6- "$f" | sort -n | tail -1)
	done
	printf '\nshape %s, N=%s, medians of %s runs (cpu = user + sys)\n' "$shape" "$n" "$runs"
	printf '%-10s %9s %9s %9s %11s %8s  %s\n' tool "wall (s)" "cpu (s)" "sys (s)" "peak (MiB)" pages "largest page (bytes, file)"
	for tool in circulate hugo; do
		awk -v t=$tool -v w="${wall[$tool]}" -v c="${cpu[$tool]}" -v s="${sys[$tool]}" -v r="${rss[$tool]}" -v p="${pages[$tool]}" -v l="${largest[$tool]}" \
			'BEGIN {printf "%-10s %9.2f %9.2f %9.2f %11.0f %8d  %s\n", t, w, c, s, r / 1024, p, l}'
	done
	line=$(awk -v s="$shape" -v cw="${wall[circulate]}" -v hw="${wall[hugo]}" -v cc="${cpu[circulate]}" -v hc="${cpu[hugo]}" -v cr="${rss[circulate]}" -v hr="${rss[hugo]}" \
		'BEGIN {printf "%-9s wall %.2f  cpu %.2f  memory %.2f", s, cw / hw, cc / hc, cr / hr}')
	echo "ratio circulate/hugo: $line"
	summary+=("$line")

	# Both must have written about one page per item plus lists and tag
	# pages; far off means one of them skipped content, and the timing
	# means nothing.
	lo=$((n + 20)) hi=$((n * 15 / 10 + 60))
	for tool in circulate hugo; do
		if [ "${pages[$tool]}" -lt $lo ] || [ "${pages[$tool]}" -gt $hi ]; then
			echo "FAIL: $tool wrote ${pages[$tool]} pages (index.html) for shape $shape; expected $lo to $hi for $n items" >&2
			exit 1
		fi
	done
done

printf '\nratios circulate/hugo (medians), N=%s:\n' "$n"
printf '  %s\n' "${summary[@]}"
