#!/bin/bash
# test.sh — everything `make test` runs, ending with one summary line.
#
# Builds with ASan + UBSan (and checks every file compiles cleanly with clang too, which
# builds `make fuzz`), runs the unit, store (SQLite and PostgreSQL) and
# fuzz-regression tests, starts a throwaway PostgreSQL and two servers (one per backend)
# with the seed's demo, runs the API tests against both and the browser tests against one,
# and checks the formatting. Any failure makes the exit status non-zero. Logs go to
# tests/out/.
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/tests/out
rm -rf "$OUT"
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/peixun-test.XXXXXX)
chmod 755 "$TMP"
BIN=$ROOT/build-asan/src/cli/peixun
PASSWORD='Demo-Peixun-2023'
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:fast_unwind_on_malloc=0:print_suppressions=0
results=()
failed=0
pids=()
# Ports: PEIXUN_TEST_PORT_BASE (default 18080) is the SQLite server, +1 PostgreSQL's app
# server, +2 a second PostgreSQL app server, +10.. the servers tests start themselves;
# PostgreSQL listens on base + 37352 (55432 by default), wrapped into 1024..65535 for a base
# above 28183 (29080: 1920). Two checkouts can run `make test` at once with different bases.
PORT_BASE=${PEIXUN_TEST_PORT_BASE:-18080}
PG_PORT=$(((PORT_BASE + 37352 - 1024) % 64512 + 1024))
export PEIXUN_TEST_PORT_BASE=$PORT_BASE
# Tests counted over every stage: a stage's own tests where its log reports them (cmocka,
# meson's test log, node's test runner), else the stage itself as one test.
tests_passed=0
tests_failed=0

# How many tests a stage's log reports as passed and failed ("P F"), or nothing when it
# reports none. node --test ends with "# pass N" / "# fail N"; a cmocka program ends with
# "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)"; meson's test log holds one block
# per program, and a program without cmocka's lines (a fuzz corpus replay) counts as one
# (a skipped one, exit status 77, as none).
count_tests() { # log
	local log=$1
	if grep -q '^# pass [0-9]' "$log"; then
		awk '/^# pass [0-9]/{p+=$3} /^# fail [0-9]/{f+=$3} END{print p+0, f+0}' "$log"
	elif [ "$(basename "$log")" = unit-and-store-sqlite.log ] && [ -f build-asan/meson-logs/testlog.txt ]; then
		awk '
			/^test:/ { if (inblk) done(); inblk=1; got=0; ok=0; skip=0 }
			/^result:/ { ok = ($0 ~ /exit status 0/); skip = ($0 ~ /exit status 77/) }
			/\[  PASSED  \] [0-9]+ test/ { p += $4; got=1 }
			/\[  FAILED  \] [0-9]+ test/ { f += $4; got=1 }
			function done() { if (!got && !skip) { if (ok) p++; else f++ } }
			END { if (inblk) done(); print p+0, f+0 }' build-asan/meson-logs/testlog.txt
	elif grep -q '\[  PASSED  \]\|\[  FAILED  \]' "$log"; then
		awk '/\[  PASSED  \] [0-9]+ test/{p+=$4} /\[  FAILED  \] [0-9]+ test/{f+=$4} END{print p+0, f+0}' "$log"
	fi
}

stage() { # name, command…
	local name=$1
	shift
	local start=$SECONDS ok=1
	"$@" >"$OUT/$name.log" 2>&1 || ok=0
	local counts p f
	counts=$(count_tests "$OUT/$name.log")
	if [ -n "$counts" ]; then
		read -r p f <<<"$counts"
	elif [ "$ok" = 1 ]; then
		p=1 f=0
	else
		p=0 f=1
	fi
	# A stage that failed without a failing test of its own (a crash, a build error) counts
	# as one failure more.
	[ "$ok" = 0 ] && [ "$f" = 0 ] && f=1
	tests_passed=$((tests_passed + p))
	tests_failed=$((tests_failed + f))
	if [ "$ok" = 1 ]; then
		results+=("$name ok")
		echo "  ✓ $name ($((SECONDS - start)) s, $p passed)"
	else
		results+=("$name FAILED")
		failed=$((failed + 1))
		echo "  ✗ $name ($((SECONDS - start)) s, $p passed, $f failed) — tail of tests/out/$name.log:"
		tail -n 30 "$OUT/$name.log" | sed 's/^/      /'
		return 1
	fi
}

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	scripts/pg-tmp.sh stop "$TMP/pg" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

build() {
	[ -f build-asan/build.ninja ] ||
		meson setup build-asan --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false || return 1
	ninja -C build-asan
}

web_build() {
	[ -f web/package.json ] || return 0
	(cd web && npm run --silent build)
}

pg_start() {
	PG_DSN=$(scripts/pg-tmp.sh start "$TMP/pg" "$PG_PORT") || return 1
	echo "$PG_DSN" >"$TMP/pg_dsn"
}

start_server() { # name, db, port, extra env…
	local name=$1 db=$2 port=$3
	shift 3
	# none (PostgreSQL did not start) would serve ./peixun.db as that backend's
	[ -n "$db" ] || { echo "server $name: no database"; return 1; }
	env "$@" "$BIN" --db "$db" demo --password "$PASSWORD" --cadres 3000 >"$OUT/demo-$name.log" 2>&1 || return 1
	env "$@" "$BIN" --db "$db" serve --listen "127.0.0.1:$port" >"$OUT/server-$name.log" 2>&1 &
	pids+=($!)
	for _ in $(seq 1 100); do
		curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0
		sleep 0.1
	done
	echo "server $name did not come up"
	return 1
}

api_tests() { # url, backend, db
	PEIXUN_URL=$1 PEIXUN_BACKEND=$2 PEIXUN_DB=$3 PEIXUN_PASSWORD=$PASSWORD PEIXUN_BIN=$BIN \
		PEIXUN_TMP=$TMP node --test --test-concurrency=1 tests/api/
}

e2e_tests() {
	[ -d tests/e2e ] || return 0
	PEIXUN_URL=$1 PEIXUN_DB=$TMP/demo.db PEIXUN_PASSWORD=$PASSWORD PEIXUN_TMP=$TMP PEIXUN_SHOTS=$OUT/screenshots \
		node --test --test-concurrency=1 tests/e2e/
}

sanitizer_clean() {
	! grep -l -E "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$OUT"/server-*.log "$OUT"/demo-*.log
}

echo "make test: building and testing peixun"
stage build build || { echo "make test: FAILED (the build failed)"; echo "$tests_passed passed, $((tests_failed)) failed"; exit 1; }
stage clang python3 scripts/clang-check.py build-asan
# The build `make run` uses: -O3 warns of what -O0 does not see (a snprintf that may
# truncate broke it once while every test passed).
stage release-build make -s build
stage layers sh -c 'python3 scripts/layers.py --self-test && python3 scripts/layers.py'
stage tools sh -c 'python3 scripts/tools.py --self-test && python3 scripts/tools.py'
stage web-build web_build
stage unit-and-store-sqlite meson test -C build-asan --print-errorlogs --num-processes 2
stage postgresql pg_start
PG_DSN=$(cat "$TMP/pg_dsn" 2>/dev/null || echo "")
stage store-postgresql env PEIXUN_TEST_DSN="${PG_DSN}_store" build-asan/tests/unit/store_test_store
stage store-compliance-postgresql env PEIXUN_TEST_DSN="${PG_DSN}_store" build-asan/tests/unit/store_test_compliance
export PEIXUN_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The suite imports as the demo's admin and liaison far more often than a person would in an
# hour: its servers (and the servers tests start) run without the hourly limit of imports,
# which tests/api/import-limits.test.mjs tests on a server of its own with a limit of 4.
export PEIXUN_IMPORT_RUNS_PER_HOUR=0
stage server-sqlite start_server sqlite "$TMP/demo.db" "$PORT_BASE" PEIXUN_SECRET_KEY=
stage server-postgresql start_server postgresql "$PG_DSN" $((PORT_BASE + 1))
# The browser tests see the demo as built (71 units …): run them before the API tests add
# to it.
stage browser e2e_tests "http://127.0.0.1:$PORT_BASE"
stage api-sqlite api_tests "http://127.0.0.1:$PORT_BASE" sqlite "$TMP/demo.db"
stage api-postgresql api_tests "http://127.0.0.1:$((PORT_BASE + 1))" postgresql "$PG_DSN"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()
stage sanitizers sanitizer_clean
stage format make -s format-check

total=${#results[@]}
if [ "$failed" = 0 ]; then
	echo "make test: PASSED — all $total stages (${results[*]})"
else
	echo "make test: FAILED — $failed of $total stages failed (${results[*]})"
fi
echo "$tests_passed passed, $tests_failed failed"
[ "$failed" = 0 ]
