#!/bin/bash
# bench/run.sh — `make bench`: the foundation's benchmarks on SQLite and on PostgreSQL, each
# against a baseline measured in the same run on the same machine (these machines are noisy:
# compare ratios).
#
#  (a) import 1,000,000 cadres from CSV with `peixun import`. SQLite against raw prepared
#      inserts of the same rows in one transaction (bench/raw_insert.c: the CSV's fields into
#      a bare table — the target's baseline —, the same with the indexes the cadres table
#      has, and the rows exactly as peixun stored them). PostgreSQL against SQLite's rate of
#      the same run (the target), and against psql's COPY of the CSV into a bare table and
#      of the rows as peixun stored them into its own schema (indexes built after). Each side
#      three times, medians;
#  (b) GET of a cadre list page and of one cadre, wrk with 64 connections, against nginx
#      serving the very same bytes as static files (three rounds each, medians): SQLite as
#      the server runs by default (reply cache on) and by a second server without it, then
#      a server on PostgreSQL (which caches nothing);
#  (s) the name search (q) of the list: milliseconds per query, p50 and p99, over a set of
#      1-, 2- and 3-character names drawn from the CSV (bench/search.py), on both databases;
#  (c) the resident memory of the SQLite server while serving the million-cadre database.
#
# Environment: BENCH_ROWS (default 1000000), BENCH_SECONDS per wrk run (default 10),
# BENCH_IMPORT_ONLY=1 to stop after (a), BENCH_PG=0 to leave PostgreSQL out,
# BENCH_SQLITE_IMPORT=0 to skip SQLite's import benchmark (a database is still made),
# BENCH_PORT_BASE (default 18280): the SQLite servers on base and base+2, nginx on base+1,
# the PostgreSQL server on base+3, PostgreSQL itself on base+4.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
ROWS=${BENCH_ROWS:-1000000}
SECS=${BENCH_SECONDS:-10}
PG=${BENCH_PG:-1}
BASE=${BENCH_PORT_BASE:-18280}
P_SQLITE=$BASE P_NGINX=$((BASE + 1)) P_NOCACHE=$((BASE + 2)) P_PGSERVE=$((BASE + 3))
P_PG=$((BASE + 4))
OUT=$ROOT/bench/out
mkdir -p "$OUT"
TMP=$(mktemp -d /tmp/peixun-bench.XXXXXX)
chmod 755 "$TMP"
PW='Bench-Peixun-2023'
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	[ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null || true
	[ -d "$TMP/pg/data" ] && as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$TMP"
}
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
trap cleanup EXIT

[ -f build/build.ninja ] || meson setup build --buildtype=release -Db_ndebug=false >/dev/null
ninja -C build >/dev/null
BIN=$ROOT/build/src/cli/peixun
RAW=$ROOT/build/bench/raw_insert

median_rate() { # files of "rows_per_s=R" lines → the median R
	sed -n 's/.*rows_per_s=\([0-9]*\).*/\1/p' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
timed() { # command… → "rows_per_s=R" for ROWS rows, the whole process timed
	local start end
	start=$(date +%s.%N)
	"$@" >/dev/null
	end=$(date +%s.%N)
	python3 -c "print('rows_per_s=%d' % round($ROWS / ($end - $start)))"
}

echo "== (a) import $ROWS cadres from CSV"
# Three rounds, every series once a round (the machine's load changes from minute to minute:
# each series sees the same), each from a quiet disk (sync: the last run's writeback must
# not land in the next one's time); each series' median counts. Timed as the whole process,
# start to exit: reading the file, opening and closing the database included.
python3 bench/gen_cadres.py "$ROWS" "$TMP/cadres.csv"
SQ=${BENCH_SQLITE_IMPORT:-1}
# PostgreSQL: a throwaway cluster, durable (fsync and synchronous_commit on, as SQLite's
# synchronous=FULL), with what a province's server would have for bulk work: buffers for the
# registry, room for a load's WAL between checkpoints.
PGDSN=postgresql://postgres@127.0.0.1:$P_PG
pg_sql() { # database, SQL
	psql -qtAX -v ON_ERROR_STOP=1 -d "$PGDSN/$1" -c "$2"
}
COLS="unit_id, name, gender, birth_date, sealed, id_hash, id_masked, phone_enc, phone_masked, post, is_head, rank_level, grade, category, post_date, promotion_date, status, rank_position, created_at, updated_at"
if [ "$PG" = 1 ]; then
	mkdir -p "$TMP/pg"
	[ "$(id -u)" = 0 ] && chown postgres: "$TMP/pg"
	as_pg "$PGBIN/initdb" -D "$TMP/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
	as_pg "$PGBIN/pg_ctl" -D "$TMP/pg/data" -l "$TMP/pg/log" -w -t 30 -o "-c listen_addresses=127.0.0.1 \
		-p $P_PG -k $TMP/pg -c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min \
		-c maintenance_work_mem=256MB -c autovacuum=off" start >/dev/null
	PGKEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
for f in raw-bare raw-indexed import raw-stored pg-import pg-bare pg-stored; do : >"$TMP/$f.txt"; done
for round in 1 2 3; do
	if [ "$SQ" = 1 ]; then
		for mode in bare indexed; do
			rm -f "$TMP/raw.db"*
			sync
			"$RAW" "$TMP/raw.db" "$TMP/cadres.csv" "$mode" | tee -a "$TMP/raw-$mode.txt"
		done
	fi
	if [ "$SQ" = 1 ] || [ "$round" = 1 ]; then
		rm -f "$TMP/bench.db"*
		PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" demo --password "$PW" --cadres 71 >/dev/null
		sync
		timed env PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" import --kind cadres "$TMP/cadres.csv" |
			sed 's/^/import (SQLite) /' | tee -a "$TMP/import.txt"
	fi
	if [ "$SQ" = 1 ]; then
		# the rows exactly as peixun stored them (this round's import), inserted raw
		rm -f "$TMP/raw.db"*
		sync
		"$RAW" "$TMP/raw.db" "$TMP/bench.db" stored | tee -a "$TMP/raw-stored.txt"
		rm -f "$TMP/raw.db"*
	fi
done
# PostgreSQL's rounds after SQLite's: its background work after a load (checkpoints,
# autovacuum, dropping a database) would otherwise land in the next SQLite run (SQLite's
# import measured 0.21 of raw inserts beside it, 0.43 without). Before each timed run a
# CHECKPOINT writes out what the last one left; autovacuum is off in this cluster (the
# import ends with ANALYZE itself; a VACUUM ANALYZE runs before the HTTP runs).
for round in 1 2 3; do
	[ "$PG" = 1 ] || break
	pg_sql postgres "DROP DATABASE IF EXISTS imp" >/dev/null 2>&1
	pg_sql postgres "CREATE DATABASE imp" >/dev/null
	PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/imp" demo --password "$PW" --cadres 71 >/dev/null
	pg_sql postgres "CHECKPOINT"
	sync
	timed env PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/imp" import --kind cadres "$TMP/cadres.csv" |
		sed 's/^/import (PostgreSQL) /' | tee -a "$TMP/pg-import.txt"
	# raw: psql's COPY of the CSV's fields into a bare table
	pg_sql postgres "DROP DATABASE IF EXISTS raw" >/dev/null 2>&1
	pg_sql postgres "CREATE DATABASE raw" >/dev/null
	pg_sql raw "CREATE TABLE raw (name TEXT, id_number TEXT, phone TEXT, unit TEXT, post TEXT, \
		is_head TEXT, rank_level TEXT, category TEXT, post_date TEXT)"
	pg_sql postgres "CHECKPOINT"
	sync
	timed psql -qX -d "$PGDSN/raw" -c "\\copy raw FROM '$TMP/cadres.csv' WITH (FORMAT csv, HEADER true)" |
		sed 's/^/COPY (PostgreSQL, bare) /' | tee -a "$TMP/pg-bare.txt"
	# raw: the rows as peixun stored them, into peixun's schema and its units (the rows refer
	# to them), in one transaction the fastest way: indexes and the foreign key dropped,
	# COPY, then built again
	[ "$round" = 1 ] && pg_sql imp "\\copy (SELECT $COLS FROM cadres WHERE id > 71) TO '$TMP/stored.tsv'"
	pg_sql postgres "DROP DATABASE raw" >/dev/null
	pg_sql postgres "CREATE DATABASE raw" >/dev/null
	PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/raw" demo --password "$PW" --cadres 71 >/dev/null
	{
		echo "SET maintenance_work_mem = '256MB';"
		pg_sql raw "SELECT 'DROP INDEX ' || i.relname || ';' FROM pg_index x JOIN pg_class i ON \
			i.oid = x.indexrelid WHERE x.indrelid = 'cadres'::regclass AND NOT x.indisprimary"
		pg_sql raw "SELECT 'ALTER TABLE cadres DROP CONSTRAINT ' || conname || ';' FROM \
			pg_constraint WHERE conrelid = 'cadres'::regclass AND contype = 'f'"
		echo "\\copy cadres ($COLS) FROM '$TMP/stored.tsv'"
		pg_sql raw "SELECT pg_get_indexdef(indexrelid) || ';' FROM pg_index WHERE \
			indrelid = 'cadres'::regclass AND NOT indisprimary"
		pg_sql raw "SELECT 'ALTER TABLE cadres ADD CONSTRAINT ' || conname || ' ' || \
			pg_get_constraintdef(oid) || ';' FROM pg_constraint WHERE \
			conrelid = 'cadres'::regclass AND contype = 'f'"
	} >"$TMP/pg-stored.sql"
	pg_sql postgres "CHECKPOINT"
	sync
	timed psql -qX -1 -v ON_ERROR_STOP=1 -d "$PGDSN/raw" -f "$TMP/pg-stored.sql" |
		sed 's/^/COPY (PostgreSQL, stored rows) /' | tee -a "$TMP/pg-stored.txt"
done
import_rate=$(median_rate "$TMP/import.txt")
if [ "$SQ" = 1 ]; then
	bare=$(median_rate "$TMP/raw-bare.txt")
	indexed=$(median_rate "$TMP/raw-indexed.txt")
	stored=$(median_rate "$TMP/raw-stored.txt")
	echo "import (SQLite): $import_rate rows/s (median of 3); raw inserts of the CSV's fields into a bare table $bare rows/s → ratio $(ratio "$import_rate" "$bare") (target ≥ 0.30); into a table with the same 3 indexes $indexed rows/s → ratio $(ratio "$import_rate" "$indexed"); of the rows as peixun stores them $stored rows/s → ratio $(ratio "$import_rate" "$stored")"
fi
if [ "$PG" = 1 ]; then
	pg_sql postgres "DROP DATABASE raw" >/dev/null
	pg_sql imp "VACUUM ANALYZE" >/dev/null
	pg_sql postgres "CHECKPOINT"
	pg_import_rate=$(median_rate "$TMP/pg-import.txt")
	pg_bare=$(median_rate "$TMP/pg-bare.txt")
	pg_stored=$(median_rate "$TMP/pg-stored.txt")
	echo "import (PostgreSQL, COPY): $pg_import_rate rows/s (median of 3); SQLite's import in this run $import_rate rows/s → ratio $(ratio "$pg_import_rate" "$import_rate") (target ≥ 0.5); psql's COPY of the CSV's fields into a bare table $pg_bare rows/s → ratio $(ratio "$pg_import_rate" "$pg_bare"); of the rows as peixun stores them (indexes and foreign key built after) $pg_stored rows/s → ratio $(ratio "$pg_import_rate" "$pg_stored")"
fi

[ "${BENCH_IMPORT_ONLY:-0}" = 1 ] && exit 0

echo "== (b) HTTP: peixun vs nginx serving the same bytes"
up() { # port → waits for /healthz
	for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$1/healthz" >/dev/null && return 0; sleep 0.1; done
	echo "bench: no server on port $1" >&2
	return 1
}
login() { # port → the session cookie of the organization admin
	curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
		-d "{\"username\":\"admin\",\"password\":\"$PW\"}" "http://127.0.0.1:$1/api/v1/session" |
		sed -n 's/^Set-Cookie: \(px_session=[^;]*\).*/\1/p'
}
PEIXUN_SECRET_KEY= "$BIN" --db "$TMP/bench.db" serve --listen "127.0.0.1:$P_SQLITE" >"$TMP/serve.log" 2>&1 &
server=$!
pids+=($server)
# the same database served without the reply cache, for the figure of a computed reply
PEIXUN_SECRET_KEY= PEIXUN_REPLY_CACHE=false "$BIN" --db "$TMP/bench.db" serve \
	--listen "127.0.0.1:$P_NOCACHE" >"$TMP/serve-nocache.log" 2>&1 &
pids+=($!)
up "$P_SQLITE"
up "$P_NOCACHE"
cookie=$(login "$P_SQLITE")
list='/api/v1/cadres?page=1&page_size=20'
one_id=$(curl -s -H "Cookie: $cookie" "http://127.0.0.1:$P_SQLITE$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][5]["id"])')
one="/api/v1/cadres/$one_id"
hits() { # port → how many of 20 GETs of the list were answered from the reply cache
	for _ in $(seq 20); do
		curl -s -D - -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$1$list"
	done | grep -ci '^x-peixun-cache: hit' || true
}
echo "reply cache hits in 20 GETs: default server $(hits "$P_SQLITE"), uncached server $(hits "$P_NOCACHE")"
mkdir -p "$TMP/www"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$P_SQLITE$list" >"$TMP/www/list.json"
curl -s -H "Cookie: $cookie" "http://127.0.0.1:$P_SQLITE$one" >"$TMP/www/one.json"
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
sleep 0.3
pgcookie=
if [ "$PG" = 1 ]; then
	PEIXUN_SECRET_KEY=$PGKEY "$BIN" --db "$PGDSN/imp" serve --listen "127.0.0.1:$P_PGSERVE" \
		>"$TMP/serve-pg.log" 2>&1 &
	pids+=($!)
	up "$P_PGSERVE"
	pgcookie=$(login "$P_PGSERVE")
	pg_one_id=$(curl -s -H "Cookie: $pgcookie" "http://127.0.0.1:$P_PGSERVE$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][5]["id"])')
	# nginx serves the PostgreSQL server's bytes too (the same rows, other ciphertexts)
	curl -s -H "Cookie: $pgcookie" "http://127.0.0.1:$P_PGSERVE$list" >"$TMP/www/list-pg.json"
	curl -s -H "Cookie: $pgcookie" "http://127.0.0.1:$P_PGSERVE/api/v1/cadres/$pg_one_id" >"$TMP/www/one-pg.json"
fi
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
names="list one list-uncached one-uncached"
[ "$PG" = 1 ] && names="$names list-pg one-pg"
for name in $names; do
	kind=${name%%-*}
	case $name in
	*-uncached) port=$P_NOCACHE c=$cookie url_one=$one file=$kind.json ;;
	*-pg) port=$P_PGSERVE c=$pgcookie url_one=/api/v1/cadres/${pg_one_id:-0} file=$kind-pg.json ;;
	*) port=$P_SQLITE c=$cookie url_one=$one file=$kind.json ;;
	esac
	url_path=$list
	[ "$kind" = one ] && url_path=$url_one
	: >"$TMP/p.txt"
	: >"$TMP/n.txt"
	for _ in 1 2 3; do
		run_wrk "http://127.0.0.1:$port$url_path" "Cookie: $c" >>"$TMP/p.txt"
		run_wrk "http://127.0.0.1:$P_NGINX/$file" "Cookie: $c" >>"$TMP/n.txt"
	done
	read -r p_rps p_p99 < <(median <"$TMP/p.txt")
	read -r n_rps n_p99 < <(median <"$TMP/n.txt")
	r=$(ratio "$p_rps" "$n_rps")
	result[$name]="$r"
	echo "GET $name: peixun $p_rps req/s (p99 $p_p99 ms) vs nginx $n_rps req/s (p99 $n_p99 ms) → ratio $r (target ≥ 0.5, p99 ≤ 10 ms)"
done

echo "== (s) name search: ms per query (one connection, one query at a time)"
python3 bench/search.py "http://127.0.0.1:$P_NOCACHE" "$cookie" "$TMP/cadres.csv" 100 |
	sed 's/^search/SQLite search/' | tee "$TMP/search.txt"
if [ "$PG" = 1 ]; then
	python3 bench/search.py "http://127.0.0.1:$P_PGSERVE" "$pgcookie" "$TMP/cadres.csv" 100 |
		sed 's/^search/PostgreSQL search/' | tee -a "$TMP/search.txt"
fi

echo "== (c) resident memory of the server"
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$server/status")
hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$server/status")
echo "server RSS while serving $ROWS cadres: $((rss / 1024)) MiB (peak $((hwm / 1024)) MiB; target ≤ 64 MiB)"
{
	echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	if [ "${BENCH_SQLITE_IMPORT:-1}" = 1 ]; then
		echo "import_rows_per_s: $import_rate raw_bare: $bare raw_indexed: $indexed raw_stored: $stored" \
			"ratio_bare: $(ratio "$import_rate" "$bare") ratio_indexed: $(ratio "$import_rate" "$indexed")" \
			"ratio_stored: $(ratio "$import_rate" "$stored")"
	fi
	if [ "$PG" = 1 ]; then
		echo "pg_import_rows_per_s: $pg_import_rate vs_sqlite: $(ratio "$pg_import_rate" "$import_rate")" \
			"pg_copy_bare: $pg_bare ratio: $(ratio "$pg_import_rate" "$pg_bare")" \
			"pg_copy_stored: $pg_stored ratio: $(ratio "$pg_import_rate" "$pg_stored")"
	fi
	echo "http_ratio_list: ${result[list]} http_ratio_one: ${result[one]}" \
		"uncached: list ${result[list-uncached]} one ${result[one-uncached]}" \
		"postgresql: list ${result[list-pg]:-} one ${result[one-pg]:-}"
	sed 's/ n=[0-9]*//; s/ mean_hits=[0-9]*//' "$TMP/search.txt"
	echo "rss_mib: $((rss / 1024)) peak_mib: $((hwm / 1024))"
} >"$OUT/latest.txt"
echo "summary written to bench/out/latest.txt"
