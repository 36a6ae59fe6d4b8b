#!/bin/bash
# bench/ledger.sh — `make bench-ledger`: the compliance figures of a million cadres and twenty
# million ledger entries, on SQLite and on PostgreSQL, each against a baseline measured in the
# same run on the same machine (compare ratios: these machines are noisy).
#
#  (1) the dashboard's figures (GET /compliance/summary for the whole region, window 2023,
#      centralized) against a plain GROUP BY scan of the ledger that computes the same
#      numbers (met and overdue of 2023's yearly rule, by unit type) — and the numbers
#      compared;
#  (2) the first page of "who is behind or overdue" (GET /compliance/behind) against the
#      scan that sorts every bound cadre by missing hours — the pages compared;
#  (3) a cadre's record (GET /cadres/{id}/ledger, wrk with 64 connections) against nginx
#      serving the very same bytes.
# The replies are computed (the reply cache is off). The ledger is written by
# bench/ledger_gen (the year totals and compliance rows the ledger's operations keep, judged
# by domain/requirement.c), about 20 entries a cadre.
#
# Environment: BENCH_ROWS (default 1000000), BENCH_SECONDS per wrk run (default 10),
# BENCH_PG=0 to leave PostgreSQL out, BENCH_PORT_BASE (default 18380): the SQLite server on
# base, nginx on base+1, the PostgreSQL server on base+3, PostgreSQL itself on base+4.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${BENCH_ROWS:-1000000}
SECS=${BENCH_SECONDS:-10}
PG=${BENCH_PG:-1}
BASE=${BENCH_PORT_BASE:-18380}
P_SQLITE=$BASE P_NGINX=$((BASE + 1)) P_PGSERVE=$((BASE + 3)) P_PG=$((BASE + 4))
OUT=$ROOT/bench/out
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/peixun-bench-ledger.XXXXXX)
chmod 755 "$TMP"
PW='Bench-Peixun-2023'
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pids=()
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true
	[ -d "$TMP/pg/data" ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
trap cleanup EXIT

[ -f build/build.ninja ] || meson setup build --buildtype=release -Db_ndebug=false >/dev/null
ninja -C build >/dev/null
BIN=$ROOT/build/src/cli/peixun
GEN=$ROOT/build/bench/ledger_gen
ratio() { python3 -c "print(f'{$1 / $2:.1f}')"; }
ms() { python3 -c "print(f'{$1 * 1000:.1f}')"; }

echo "== the data: $ROWS cadres, their ledger"
python3 bench/gen_cadres.py "$ROWS" "$TMP/cadres.csv"
PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" demo --password "$PW" --cadres 71 >/dev/null
PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" import --kind cadres "$TMP/cadres.csv" >/dev/null
echo "SQLite: $("$GEN" "$TMP/bench.db")"
PGDSN=postgresql://postgres@127.0.0.1:$P_PG
if [ "$PG" = 1 ]; then
	mkdir -p "$TMP/pg"
	[ "$(id -u)" = 0 ] && chown postgres: "$TMP/pg"
	as_pg "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
	as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w -t 30 -o "-c listen_addresses=127.0.0.1 \
		-p $P_PG -k $TMP/pg -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min \
		-c maintenance_work_mem=256MB -c work_mem=64MB" start >/dev/null
	PGKEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
	psql -qtAX -d "$PGDSN/postgres" -c "CREATE DATABASE led" >/dev/null
	PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/led" demo --password "$PW" --cadres 71 >/dev/null
	PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/led" import --kind cadres "$TMP/cadres.csv" >/dev/null
	echo "PostgreSQL: $("$GEN" "$PGDSN/led")"
	psql -qtAX -d "$PGDSN/led" -c "VACUUM ANALYZE" >/dev/null
fi

# The scan: every cadre the yearly rule of 2023 binds (乡科级 and below, or grades 一级主任
# 科员 and below; in post all year — the generated cadres never change rank), its centralized
# hours and days of 2023 summed from the ledger itself; met at 90 学时 or 12 days.
BOUND="c.status = 'active' AND (c.rank_level IN ('township_section', 'general') OR c.grade IN ('principal_1', 'principal_2', 'principal_3', 'principal_4', 'clerk_1', 'clerk_2')) AND c.rank_level NOT IN ('provincial', 'bureau', 'county_division') AND c.grade NOT IN ('inspector_1', 'inspector_2', 'researcher_1', 'researcher_2', 'researcher_3', 'researcher_4')"
SUMS="SELECT c.id, c.name, c.unit_id, COALESCE(SUM(e.centi_hours), 0) AS h, COALESCE(SUM(e.centi_days), 0) AS d FROM cadres c LEFT JOIN ledger_entries e ON e.cadre_id = c.id AND e.hours_kind = 'centralized' AND e.end_date >= '2023-01-01' AND e.end_date <= '2023-12-31' WHERE $BOUND GROUP BY c.id, c.name, c.unit_id"
SCAN_COUNTS="SELECT u.type, SUM(CASE WHEN s.h >= 9000 OR s.d >= 1200 THEN 1 ELSE 0 END), SUM(CASE WHEN s.h >= 9000 OR s.d >= 1200 THEN 0 ELSE 1 END) FROM ($SUMS) s JOIN units u ON u.id = s.unit_id GROUP BY u.type ORDER BY u.type"
SCAN_PAGE="SELECT s.name, 9000 - s.h FROM ($SUMS) s WHERE NOT (s.h >= 9000 OR s.d >= 1200) ORDER BY 9000 - s.h DESC, s.id LIMIT 20"

up() { # port → waits for /healthz
	for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done
	echo "bench: no server on port $1" >&2
	return 1
}
login() { # port → the session cookie of the organization admin
	curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$PW\"}" "http://127.0.0.1:$1/api/v1/session" |
		sed -n 's/^Set-Cookie: \(px_session=[^;]*\).*/\1/p'
}
best_of() { # n, command… → the fastest of n runs, seconds (each run's wall time)
	local n=$1 best=
	shift
	for _ in $(seq "$n"); do
		local s e t
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(python3 -c "print($e - $s)")
		if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $t < $best else 1)"; then best=$t; fi
	done
	echo "$best"
}
sql() { # backend, SQL → rows (tab or | separated)
	if [ "$1" = sqlite ]; then sqlite3 -separator $'\t' "$TMP/bench.db" "$2"; else psql -qtAX -F $'\t' -d "$PGDSN/led" -c "$2"; fi
}
results=()
mkdir -p "$TMP/www"
cat >"$TMP/nginx.conf" <<NGINX
worker_processes auto;
pid $TMP/nginx.pid;
error_log $TMP/nginx-error.log;
events { worker_connections 1024; }
http {
	access_log off;
	default_type application/json;
	server {
		listen 127.0.0.1:$P_NGINX;
		root $TMP/www;
	}
}
NGINX
nginx -c "$TMP/nginx.conf"
run_wrk() { # url, header → req/s
	wrk -t2 -c64 -d"${SECS}s" -H "$2" "$1" 2>&1 | sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p'
}

backends=sqlite
[ "$PG" = 1 ] && backends="sqlite postgresql"
for b in $backends; do
	if [ "$b" = sqlite ]; then
		port=$P_SQLITE
		PEIXUN_SECRET_KEY= PEIXUN_REPLY_CACHE=false "$BIN" --db "$TMP/bench.db" serve \
			--listen "127.0.0.1:$port" >"$TMP/serve-$b.log" 2>&1 &
	else
		port=$P_PGSERVE
		PEIXUN_SECRET_KEY=$PGKEY PEIXUN_REPLY_CACHE=false "$BIN" --db "$PGDSN/led" serve \
			--listen "127.0.0.1:$port" >"$TMP/serve-$b.log" 2>&1 &
	fi
	pids+=($!)
	up "$port"
	cookie=$(login "$port")
	url="http://127.0.0.1:$port/api/v1"
	q='window=year:2023&hours_kind=centralized'
	echo "== $b"
	# (1) the dashboard's figures against the scan
	curl -sf -H "Cookie: $cookie" "$url/compliance/summary?$q" >"$TMP/summary.json"
	sql "$b" "$SCAN_COUNTS" >"$TMP/scan-counts.txt"
	python3 - "$TMP/summary.json" "$TMP/scan-counts.txt" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
scan = {}
for line in open(sys.argv[2]):
    t, met, unmet = line.rstrip('\n').split('\t')
    scan[t] = (int(met), int(unmet))
ours = {}
for g in s['by_unit_type']:
    c = g['counts'] if 'counts' in g else g
    if c['all']:
        ours[g['code']] = (c['met'], c['overdue'] + c['behind'] + c['on_track'])
tot = s['totals']
if ours != scan or sum(m for m, _ in scan.values()) != tot['met']:
    sys.exit(f'the figures differ: dashboard {ours} (totals {tot}) vs scan {scan}')
print(f"same numbers: {tot['met']} met, {tot['overdue']} overdue of {tot['all']} by unit type")
PY
	t_dash=$(best_of 5 curl -sf -H "Cookie: $cookie" "$url/compliance/summary?$q")
	t_scan=$(best_of 3 sql "$b" "$SCAN_COUNTS")
	r1=$(ratio "$t_scan" "$t_dash")
	echo "dashboard figures: $(ms "$t_dash") ms vs the scan $(ms "$t_scan") ms → ${r1}× faster (target ≥ 10)"
	# (2) the first page of who is behind
	curl -sf -H "Cookie: $cookie" "$url/compliance/behind?$q&page=1&page_size=20" >"$TMP/behind.json"
	sql "$b" "$SCAN_PAGE" >"$TMP/scan-page.txt"
	python3 - "$TMP/behind.json" "$TMP/scan-page.txt" <<'PY'
import json, sys
ours = [(r['name'], round(float(r['missing_hours']) * 100)) for r in json.load(open(sys.argv[1]))['items']]
scan = []
for line in open(sys.argv[2]):
    name, missing = line.rstrip('\n').split('\t')
    scan.append((name, int(missing)))
if [m for _, m in ours] != [m for _, m in scan]:
    sys.exit(f'the first pages differ: {ours} vs {scan}')
print(f'same first page: {len(ours)} rows, most missing {ours[0][1] / 100 if ours else 0} 学时')
PY
	t_page=$(best_of 5 curl -sf -H "Cookie: $cookie" "$url/compliance/behind?$q&page=1&page_size=20")
	t_pscan=$(best_of 3 sql "$b" "$SCAN_PAGE")
	r2=$(ratio "$t_pscan" "$t_page")
	echo "first page of who is behind: $(ms "$t_page") ms vs the scan $(ms "$t_pscan") ms → ${r2}× faster (target ≥ 10)"
	# (3) a cadre's record against nginx
	id=$(sql "$b" "SELECT cadre_id FROM ledger_entries ORDER BY id LIMIT 1 OFFSET 5000")
	curl -sf -H "Cookie: $cookie" "$url/cadres/$id/ledger" >"$TMP/www/record-$b.json"
	p_rps=$(run_wrk "$url/cadres/$id/ledger" "Cookie: $cookie")
	n_rps=$(run_wrk "http://127.0.0.1:$P_NGINX/record-$b.json" "Cookie: $cookie")
	r3=$(python3 -c "print(f'{$p_rps / $n_rps:.2f}')")
	echo "a cadre's record ($(wc -c <"$TMP/www/record-$b.json") bytes): peixun $p_rps req/s vs nginx $n_rps req/s → ratio $r3 (target ≥ 0.5)"
	results+=("$b: dashboard ${r1}x page ${r2}x record ${r3}")
done
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ) cadres: $ROWS"
	printf '%s\n' "${results[@]}"
} >"$OUT/ledger-latest.txt"
echo "summary written to bench/out/ledger-latest.txt"
