#!/bin/sh
# pg-tmp.sh — a throwaway PostgreSQL cluster for tests (ARCHITECTURE.md explains why: the
# image blocks service starts, so the project starts its own).
#
#   scripts/pg-tmp.sh start DIR [PORT]   initdb + start; prints the DSN of database "peixun"
#   scripts/pg-tmp.sh stop DIR
set -eu
cmd=${1:?start or stop}
dir=${2:?directory}
port=${3:-55432}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$PGBIN/initdb" ] || { echo "pg-tmp: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres: "$dir"
	as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 30 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null
	# "peixun" for the app servers, "peixun_store" for the store contract suite, "peixun_jobs"
	# for the servers the job runner's test starts and kills (tests/api/jobs.test.mjs)
	as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres peixun
	as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres peixun_store
	as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres peixun_jobs
	echo "postgresql://postgres@127.0.0.1:$port/peixun"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
