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

stage() { # name, command…
	local name=$1
	shift
	local start=$SECONDS
	if "$@" >"$OUT/$name.log" 2>&1; then
		results+=("$name ok")
		echo "  ✓ $name ($((SECONDS - start)) s)"
	else
		results+=("$name FAILED")
		failed=$((failed + 1))
		echo "  ✗ $name ($((SECONDS - start)) s) — tail of tests/out/$name.log:"
		tail -n 30 "$OUT/$name.log" | sed 's/^/      /'
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
	PG_DSN=$(scripts/pg-tmp.sh start "$TMP/pg" 55432) || return 1
	echo "$PG_DSN" >"$TMP/pg_dsn"
}

start_server() { # name, db, port, extra env…
	local name=$1 db=$2 port=$3
	shift 3
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
	PEIXUN_URL=$1 PEIXUN_PASSWORD=$PASSWORD PEIXUN_TMP=$TMP PEIXUN_SHOTS=$OUT/screenshots \
		node --test --test-concurrency=1 tests/e2e/
}

sanitizer_clean() {
	! grep -l -E "ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:" "$OUT"/server-*.log "$OUT"/demo-*.log
}

echo "make test: building and testing peixun"
stage build build || { echo "make test: FAILED (the build failed)"; exit 1; }
stage clang python3 scripts/clang-check.py build-asan
stage web-build web_build
stage unit-and-store-sqlite meson test -C build-asan --print-errorlogs --num-processes 2
stage postgresql pg_start
PG_DSN=$(cat "$TMP/pg_dsn" 2>/dev/null || echo "")
stage store-postgresql env PEIXUN_TEST_DSN="${PG_DSN}_store" build-asan/tests/unit/store_test_store
export PEIXUN_SECRET_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
stage server-sqlite start_server sqlite "$TMP/demo.db" 18080 PEIXUN_SECRET_KEY=
stage server-postgresql start_server postgresql "$PG_DSN" 18081
# The browser tests see the demo as built (71 units …): run them before the API tests add
# to it.
stage browser e2e_tests http://127.0.0.1:18080
stage api-sqlite api_tests http://127.0.0.1:18080 sqlite "$TMP/demo.db"
stage api-postgresql api_tests http://127.0.0.1:18081 postgresql "$PG_DSN"
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
[ "$failed" = 0 ]
