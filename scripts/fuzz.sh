#!/bin/sh
# fuzz.sh — `make fuzz`: every libFuzzer target for SECONDS each (default 60), with
# ASan + UBSan, starting from its committed corpus. New crashes land in tests/fuzz/crashes/;
# add each one, once fixed, to the corpus so `make test` replays it forever after.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
[ -f build-fuzz/build.ninja ] ||
	CC=clang meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
		--buildtype=debugoptimized >/dev/null
ninja -C build-fuzz >/dev/null
mkdir -p tests/fuzz/crashes
status=0
for t in $(sed -n "s/^ *'\([a-z0-9_]*\)',*$/\1/p" tests/fuzz/meson.build); do
	exe=build-fuzz/tests/fuzz/fuzz_$t
	[ -x "$exe" ] || continue
	work=$(mktemp -d)
	echo "fuzz $t for ${secs}s"
	if ! "$exe" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix=tests/fuzz/crashes/"$t"- \
		"$work" tests/fuzz/corpus/"$t" >"tests/fuzz/crashes/$t.log" 2>&1; then
		echo "  ✗ $t found a problem: see tests/fuzz/crashes/$t.log"
		status=1
	else
		grep -E "stat::number_of_executed_units|stat::new_units_added" "tests/fuzz/crashes/$t.log" | sed 's/^/  /'
	fi
	rm -rf "$work"
done
exit $status
