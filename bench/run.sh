#!/bin/bash
# bench/run.sh — `make bench`: the foundation's three benchmarks, each against a baseline
# measured in the same run on the same machine (these machines are noisy: compare ratios).
#
#  (a) import 1,000,000 cadres from CSV with `peixun import`, against raw SQLite prepared
#      inserts of the same rows in one transaction (bench/raw_insert.c: the CSV's fields
#      into a bare table — the target's baseline —, the same with the indexes the cadres
#      table has, and the rows exactly as peixun stored them); each side three times,
#      medians;
#  (b) GET of a cadre list page and of one cadre, wrk with 64 connections, against nginx
#      serving the very same bytes as static files (three rounds each, medians); once as the
#      server runs by default (reply cache on) and once by a second server without it;
#  (c) the server's resident memory while serving the million-cadre database.
#
# Environment: BENCH_ROWS (default 1000000), BENCH_SECONDS per wrk run (default 10),
# BENCH_IMPORT_ONLY=1 to stop after (a).
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${BENCH_ROWS:-1000000}
SECS=${BENCH_SECONDS:-10}
OUT=$ROOT/bench/out
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/peixun-bench.XXXXXX)
chmod 755 "$TMP"
PW='Bench-Peixun-2023'
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

[ -f build/build.ninja ] || meson setup build --buildtype=release -Db_ndebug=false >/dev/null
ninja -C build >/dev/null
BIN=$ROOT/build/src/cli/peixun
RAW=$ROOT/build/bench/raw_insert

echo "== (a) import $ROWS cadres from CSV"
# Each side three times, from a quiet disk (sync: the last run's writeback must not land in
# the next one's time); the median run counts.
python3 bench/gen_cadres.py "$ROWS" "$TMP/cadres.csv"
median_rate() { # files of "rows_per_s=R" lines → the median R
	sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$@" | sort -n | sed -n 2p
}
for mode in bare indexed; do
	: >"$TMP/raw-$mode.txt"
	for _ in 1 2 3; do
		rm -f "$TMP/raw.db"*
		sync
		"$RAW" "$TMP/raw.db" "$TMP/cadres.csv" "$mode" | tee -a "$TMP/raw-$mode.txt"
	done
done
rm -f "$TMP/raw.db"*
: >"$TMP/import.txt"
for _ in 1 2 3; do
	rm -f "$TMP/bench.db"*
	PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" demo --password "$PW" --cadres 71 >/dev/null
	sync
	start=$(date +%s.%N)
	PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" import --kind cadres "$TMP/cadres.csv"
	end=$(date +%s.%N)
	# the whole process, start to exit: reading the file, opening, closing included
	python3 -c "print('rows_per_s=%d' % round($ROWS / ($end - $start)))" | tee -a "$TMP/import.txt"
done
# the rows exactly as peixun stored them (the last import), inserted raw
: >"$TMP/raw-stored.txt"
for _ in 1 2 3; do
	rm -f "$TMP/raw.db"*
	sync
	"$RAW" "$TMP/raw.db" "$TMP/bench.db" stored | tee -a "$TMP/raw-stored.txt"
done
rm -f "$TMP/raw.db"*
import_rate=$(median_rate "$TMP/import.txt")
bare=$(median_rate "$TMP/raw-bare.txt")
indexed=$(median_rate "$TMP/raw-indexed.txt")
stored=$(median_rate "$TMP/raw-stored.txt")
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo "import: $import_rate rows/s (median of 3); raw inserts of the CSV's fields into a bare table $bare rows/s → ratio $(ratio "$import_rate" "$bare") (target ≥ 0.30); into a table with the same 3 indexes $indexed rows/s → ratio $(ratio "$import_rate" "$indexed"); of the rows as peixun stores them $stored rows/s → ratio $(ratio "$import_rate" "$stored")"

[ "${BENCH_IMPORT_ONLY:-0}" = 1 ] && exit 0

echo "== (b) HTTP: peixun vs nginx serving the same bytes"
PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" serve --listen 127.0.0.1:18280 >"$TMP/serve.log" 2>&1 &
server=$!
pids+=($server)
# the same database served without the reply cache, for the figure of a computed reply
PEIXUN_SECRET_KEY= PEIXUN_REPLY_CACHE=false "$BIN" --db "$TMP/bench.db" serve \
	--listen 127.0.0.1:18282 >"$TMP/serve-nocache.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18280/healthz >/dev/null && break; sleep 0.1; done
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18282/healthz >/dev/null && break; sleep 0.1; done
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"admin\",\"password\":\"$PW\"}" http://127.0.0.1:18280/api/v1/session |
	sed -n 's/^Set-Cookie: \(px_session=[^;]*\).*/\1/p')
list='/api/v1/cadres?page=1&page_size=20'
one_id=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:18280$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][5]["id"])')
one="/api/v1/cadres/$one_id"
hits() { # port → how many of 20 GETs of the list were answered from the reply cache
	for _ in $(seq 20); do
		curl -s -D - -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$1$list"
	done | grep -ci '^x-peixun-cache: hit' || true
}
echo "reply cache hits in 20 GETs: default server $(hits 18280), uncached server $(hits 18282)"
mkdir -p "$TMP/www"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:18280$list" >"$TMP/www/list.json"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:18280$one" >"$TMP/www/one.json"
cat >"$TMP/nginx.conf" <<NGINX
worker_processes auto;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	server {
		listen 127.0.0.1:18281;
		root $TMP/www;
	}
}
NGINX
nginx -c "$TMP/nginx.conf"
sleep 0.3
run_wrk() { # url, extra header → "req/s p99_ms"
	wrk -t2 -c64 -d"${SECS}s" --latency -H "$2" "$1" >"$TMP/wrk.txt" 2>&1
	local rps p99
	rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$TMP/wrk.txt")
	p99=$(awk '$1 == "99%" { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v = v * 1000 } print v }' "$TMP/wrk.txt")
	echo "$rps $p99"
}
# Three rounds, peixun and nginx alternating; each side's median round counts (one run of
# either can be off by a fifth on these machines).
median() { # "rps p99" lines → the line with the median rps
	sort -n | sed -n 2p
}
declare -A result
for name in list one list-uncached one-uncached; do
	url_path=$list
	[ "${name%-uncached}" = one ] && url_path=$one
	port=18280
	[ "${name%-uncached}" != "$name" ] && port=18282
	: >"$TMP/p.txt"
	: >"$TMP/n.txt"
	for _ in 1 2 3; do
		run_wrk "http://127.0.0.1:$port$url_path" "Cookie: $cookie" >>"$TMP/p.txt"
		run_wrk "http://127.0.0.1:18281/${name%-uncached}.json" "Cookie: $cookie" >>"$TMP/n.txt"
	done
	read -r p_rps p_p99 < <(median <"$TMP/p.txt")
	read -r n_rps n_p99 < <(median <"$TMP/n.txt")
	ratio=$(python3 -c "print(f'{$p_rps / $n_rps:.2f}')")
	result[$name]="$ratio"
	echo "GET $name: peixun $p_rps req/s (p99 $p_p99 ms) vs nginx $n_rps req/s (p99 $n_p99 ms) → ratio $ratio (target ≥ 0.5, p99 ≤ 10 ms)"
done

echo "== (c) resident memory of the server"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
echo "server RSS while serving $ROWS cadres: $((rss / 1024)) MiB (peak $((hwm / 1024)) MiB; target ≤ 64 MiB)"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "import_rows_per_s: $import_rate raw_bare: $bare raw_indexed: $indexed raw_stored: $stored" \
		"ratio_bare: $(ratio "$import_rate" "$bare") ratio_indexed: $(ratio "$import_rate" "$indexed")" \
		"ratio_stored: $(ratio "$import_rate" "$stored")"
	echo "http_ratio_list: ${result[list]} http_ratio_one: ${result[one]}" \
		"uncached: list ${result[list-uncached]} one ${result[one-uncached]}"
	echo "rss_mib: $((rss / 1024)) peak_mib: $((hwm / 1024))"
} >"$OUT/latest.txt"
echo "summary written to bench/out/latest.txt"
