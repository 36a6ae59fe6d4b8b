#!/bin/sh
# bench/timetable.sh — the timetable engine on ITC-2007 track 3 (comp01–comp07), UD2 cost.
#
# Runs `peixun solve` per instance and seed, scores every written solution with the
# independent validator (the solve command prints its breakdown and fails if the engine's own
# total disagrees), and prints per instance the mean and best cost beside the published
# figures of data/itc2007/REFERENCE.md: the best known, the ITC-2007 winner's (Müller's)
# mean, and the winner's solver as run on these machines. Then the two targets:
#   1. every instance: mean ≤ min(winner's published mean, winner on this machine);
#   2. the seven together within 1.15 × best known, read two ways: sum of means ≤ 1.15 × sum
#      of best known, and the average of the per-instance ratios mean / best known.
#
#   bench/timetable.sh                  5 seeds × 96 s per instance, one run at a time
#   bench/timetable.sh --jobs 2         two runs at once (only with both cores free)
#   bench/timetable.sh --seeds 3 --time 30 --instances "02 05"
#   bench/timetable.sh --smoke          short fixed-iteration runs (~30 s in all): asserts every
#                                       solution is feasible and validator = engine; no timing
#   bench/timetable.sh --summarize FILE  the table again for "inst seed cost" lines (e.g. the
#                                       results.txt of runs made in parts)
#
# Environment: PEIXUN (the binary; default build/src/cli/peixun), ITC_DIR (the .ctt files;
# default ../shared/data/itc2007 beside the repository). Solutions and logs go to bench/out/.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
PEIXUN=${PEIXUN:-$here/build/src/cli/peixun}
ITC_DIR=${ITC_DIR:-$here/../shared/data/itc2007}
seeds=5
secs=96
jobs=1
insts="01 02 03 04 05 06 07"
smoke=0
run_mode=0
summarize=
out=$here/bench/out/timetable

while [ $# -gt 0 ]; do
	case $1 in
	--seeds) seeds=$2; shift 2 ;;
	--time) secs=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--instances) insts=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--smoke) smoke=1; shift ;;
	--summarize) summarize=$2; shift 2 ;;
	--smoke-flag) smoke=$2; shift 2 ;;
	--run-one) run_mode=1; shift; break ;;
	-h|--help) sed -n '2,24p' "$0"; exit 0 ;;
	*) echo "timetable.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
	esac
done

# The table and the two targets for a results file ("inst seed cost" lines).
summary() {
	insts=$(awk '{ print $1 }' "$1" | sort -u | tr '\n' ' ')
	printf '\n%-7s %8s %6s %6s %8s %8s %8s  %s\n' inst mean best "known" "W.mean" "W.here" target met
	awk -v insts="$insts" '
	BEGIN {
		split("5 24 64 35 284 27 6", known, " ")
		split("5.0 61.3 94.8 42.8 343.5 56.8 33.9", wmean, " ")
		split("5 60 81 42 315 54 20", where, " ")
	}
	{ sum[$1] += $3; n[$1]++; if (!($1 in best) || $3 < best[$1]) best[$1] = $3; runs[$1] = runs[$1] " " $3 }
	END {
		k = split(insts, list, " "); all = 1; smean = 0; sknown = 0; sratio = 0
		for (j = 1; j <= k; j++) {
			i = list[j]; x = i + 0; m = sum[i] / n[i]
			t = wmean[x] + 0 < where[x] + 0 ? wmean[x] + 0 : where[x] + 0
			ok = m <= t ? "yes" : "NO"; if (m > t) all = 0
			printf "comp%-3s %8.1f %6d %6d %8.1f %8d %8.1f  %s   runs:%s\n", i, m, best[i], known[x], wmean[x], where[x], t, ok, runs[i]
			smean += m; sknown += known[x]; sratio += (m > 0 ? m : 0) / known[x]
		}
		printf "\nsum of means %.1f / sum of best known %d = %.3f   (target <= 1.15: %s)\n", smean, sknown, smean / sknown, smean / sknown <= 1.15 ? "met" : "NOT met"
		printf "average of per-instance ratios mean/known = %.3f   (target <= 1.15: %s)\n", sratio / k, sratio / k <= 1.15 ? "met" : "NOT met"
		printf "every mean <= min(winner mean, winner here): %s\n", all ? "met" : "NOT met"
	}' "$1"
}

if [ -n "$summarize" ]; then
	summary "$summarize"
	exit 0
fi

if [ ! -x "$PEIXUN" ]; then
	echo "timetable.sh: no peixun binary at $PEIXUN (build first, or set PEIXUN)" >&2
	exit 2
fi
if [ ! -f "$ITC_DIR/comp01.ctt" ]; then
	echo "timetable.sh: no ITC-2007 instances in $ITC_DIR (set ITC_DIR)" >&2
	[ $smoke = 1 ] && exit 77 # meson: skipped
	exit 2
fi
mkdir -p "$out"

# Reference figures (REFERENCE.md): best known, winner's published mean, winner here (96 s).
ref() {
	case $1 in
	01) echo "5 5.0 5" ;;
	02) echo "24 61.3 60" ;;
	03) echo "64 94.8 81" ;;
	04) echo "35 42.8 42" ;;
	05) echo "284 343.5 315" ;;
	06) echo "27 56.8 54" ;;
	07) echo "6 33.9 20" ;;
	esac
}

# One run: instance, seed -> "inst seed cost" on stdout, or a FAIL line.
run_one() {
	i=$1 s=$2
	log=$out/comp$i-s$s.log
	if [ $smoke = 1 ]; then
		budget="--iterations 1500000"
	else
		budget="--time $secs"
	fi
	# shellcheck disable=SC2086
	if "$PEIXUN" solve --ctt "$ITC_DIR/comp$i.ctt" $budget --seed "$s" \
		--out "$out/comp$i-s$s.sol" >"$log" 2>&1; then
		hard=$(awk '/^Hard violations/ {print $3}' "$log")
		cost=$(awk '/^Total cost/ {print $4}' "$log")
		if [ "$hard" = 0 ] && [ -n "$cost" ]; then
			echo "$i $s $cost"
			return
		fi
	fi
	echo "FAIL $i $s (see $log)"
}

if [ $run_mode = 1 ]; then
	run_one "$1" "$2"
	exit 0
fi

if [ $smoke = 1 ]; then
	seeds=1
	echo "timetable smoke: comp$insts, 1.5M iterations each, validator vs engine"
fi
list=$out/runs.txt
: >"$list"
for i in $insts; do
	s=1
	while [ "$s" -le "$seeds" ]; do
		echo "$i $s" >>"$list"
		s=$((s + 1))
	done
done
[ $smoke = 0 ] && echo "timetable bench: $seeds seed(s) × ${secs} s per instance, $jobs at a time" \
	"(about $(( $(wc -l <"$list") * secs / jobs / 60 + 1 )) min)"

results=$out/results.txt
export PEIXUN ITC_DIR
# each line "inst seed" becomes one run of this script in --run-one mode
xargs -P "$jobs" -L 1 "$0" --out "$out" --time "$secs" --smoke-flag "$smoke" --run-one \
	<"$list" >"$results"

if grep -q FAIL "$results"; then
	grep FAIL "$results" >&2
	echo "timetable: FAILED (infeasible, or validator and engine disagree)" >&2
	exit 1
fi
if [ $smoke = 1 ]; then
	n=$(wc -l <"$results")
	echo "timetable smoke: $n passed, 0 failed"
	exit 0
fi

summary "$results" | tee "$out/summary.txt"
