#!/usr/bin/env bash
# Writes the fixture databases of one earlier format of the engine's tables, the way a user of that
# build would have: builds COMMIT of this repository in a temporary worktree, then drives its shuttle
# jar (init, serve, clone, sync, node retire) and writes rows with sqlite3 and psql. See README.md.
#
#   make-fixtures.sh COMMIT OUT_DIR [--postgres] [--retire]
#
# OUT_DIR gets sqlite-hub.db, device-a.db and device-b.db (devices of that hub); with --postgres
# also pg-hub.sql (pg_dump of a PostgreSQL hub), pg-device-a.db and pg-device-b.db. Both devices
# end with writes they have not pushed. --retire also clones a third device of the SQLite hub and
# retires it on the hub (shuttle node retire) before the end.
#
# Needs git, a JDK the commit builds with, sqlite3, and PostgreSQL's initdb, pg_ctl, psql and
# pg_dump for --postgres (run as the postgres user when this runs as root).
set -euo pipefail

[ $# -ge 2 ] || { sed -n 2,13p "$0"; exit 2; }
commit=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2
postgres=0 retire=0
for a in "$@"; do
  case $a in
    --postgres) postgres=1 ;;
    --retire) retire=1 ;;
    *) echo "unknown option $a" >&2; exit 2 ;;
  esac
done

repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
work=$(mktemp -d /tmp/shuttle-fixtures.XXXXXX)
chmod 755 "$work"
serve_pid=
pg_data=
cleanup() {
  [ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null || true
  [ -n "$pg_data" ] && as_pg pg_ctl -D "$pg_data" -m fast stop >/dev/null 2>&1 || true
  git -C "$repo" worktree remove --force "$work/src" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$repo" worktree add --detach "$work/src" "$commit" >/dev/null
(cd "$work/src" && ./mvnw -B -q -DskipTests package -pl shuttle-cli -am >"$work/build.log" 2>&1) \
  || { tail -40 "$work/build.log" >&2; exit 1; }
jar="$work/src/shuttle-cli/target/shuttle.jar"
export SHUTTLE_NO_PROGRESS=1
shuttle() { java --enable-native-access=ALL-UNNAMED -jar "$jar" "$@"; }
TOKEN=fixture-token

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# serve DB: starts the hub in the background and sets $hub to its URL.
serve() {
  : >"$work/serve.out"
  java --enable-native-access=ALL-UNNAMED -jar "$jar" serve --db "$1" --host 127.0.0.1 --port 0 --token "$TOKEN" \
    >"$work/serve.out" 2>"$work/serve.err" &
  serve_pid=$!
  for _ in $(seq 600); do
    hub=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$work/serve.out")
    [ -n "$hub" ] && return 0
    sleep 0.1
  done
  cat "$work/serve.err" >&2
  exit 1
}

stop_serve() {
  kill -TERM "$serve_pid"
  wait "$serve_pid" || true
  serve_pid=
}

# scenario HUB_DB HUB_SQL DEVICE_PREFIX: the hub's tables hold rows; init; two devices cloned;
# writes synced both ways; a write made on the hub itself; then writes on each device left unpushed.
scenario() {
  local hub_db=$1 hub_sql=$2 a=$out/${3}a.db b=$out/${3}b.db
  shuttle init --db "$hub_db" >/dev/null
  serve "$hub_db"
  shuttle clone --db "$a" --hub "$hub" --token "$TOKEN" >/dev/null
  shuttle clone --db "$b" --hub "$hub" --token "$TOKEN" >/dev/null

  sqlite3 "$a" "INSERT INTO task VALUES (5, 1, 'Print flyers', 0);
                UPDATE project SET name = 'Launch party' WHERE id = 1;
                DELETE FROM task WHERE id = 4;"
  shuttle sync --db "$a" --hub "$hub" --token "$TOKEN" >/dev/null
  shuttle sync --db "$b" --hub "$hub" --token "$TOKEN" >/dev/null
  sqlite3 "$b" "UPDATE task SET done = 1 WHERE id = 1;
                INSERT INTO tag VALUES (2, 'weekend');"
  shuttle sync --db "$b" --hub "$hub" --token "$TOKEN" >/dev/null
  shuttle sync --db "$a" --hub "$hub" --token "$TOKEN" >/dev/null

  $hub_sql "INSERT INTO project VALUES (3, 'Written on the hub');
            UPDATE task SET title = 'Buy seeds and soil' WHERE id = 3;"

  if [ "$retire" = 1 ] && [ "$3" = device- ]; then
    local c=$work/device-c.db
    shuttle clone --db "$c" --hub "$hub" --token "$TOKEN" >/dev/null
    shuttle node retire --db "$hub_db" "$(sqlite3 "$c" "SELECT value FROM _shuttle_meta WHERE key = 'node_uuid'")" >/dev/null
  fi

  # left unpushed: inserts of a parent and its children, an update, deletes
  sqlite3 "$a" "INSERT INTO project VALUES (10, 'Offline work');
                INSERT INTO task VALUES (100, 10, 'Written offline', 0);
                INSERT INTO tag VALUES (10, 'new');
                UPDATE task SET title = 'Book the big room' WHERE id = 2;
                DELETE FROM tag WHERE project_id = 1 AND label = 'urgent';"
  sqlite3 "$b" "UPDATE task SET done = 1 WHERE id = 5;
                INSERT INTO task VALUES (200, 2, 'Written offline on b', 0);"
  stop_serve
  for f in "$a" "$b"; do sqlite3 "$f" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null; done
}

SEED="INSERT INTO project VALUES (1, 'Launch'), (2, 'Garden');
      INSERT INTO task VALUES (1, 1, 'Write the plan', 0), (2, 1, 'Book the room', 0),
                              (3, 2, 'Buy seeds', 0), (4, 2, 'Dig beds', 0);
      INSERT INTO tag VALUES (1, 'urgent'), (2, 'outdoor');"

# SQLite hub
rm -f "$out"/sqlite-hub.db* "$out"/device-*.db*
sqlite3 "$out/sqlite-hub.db" "
  CREATE TABLE project (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
  CREATE TABLE task (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES project (id),
                     title TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE tag (project_id INTEGER NOT NULL REFERENCES project (id), label TEXT NOT NULL,
                    PRIMARY KEY (project_id, label));
  $SEED"
scenario "$out/sqlite-hub.db" "sqlite3 $out/sqlite-hub.db" device-
sqlite3 "$out/sqlite-hub.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null

# PostgreSQL hub
if [ "$postgres" = 1 ]; then
  rm -f "$out"/pg-hub.sql "$out"/pg-device-*.db*
  pg_data=$work/pg
  port=$((20000 + RANDOM % 20000))
  mkdir -p "$pg_data" && chown postgres "$pg_data" 2>/dev/null || true
  as_pg initdb -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_pg pg_ctl -D "$pg_data" -o "-p $port -k $pg_data -c listen_addresses=127.0.0.1" -w start >/dev/null
  psql_hub() { psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d hub -c "$1"; }
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE hub"
  psql_hub "
    CREATE TABLE project (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE task (id bigint PRIMARY KEY, project_id bigint NOT NULL REFERENCES project (id),
                       title text NOT NULL, done integer NOT NULL DEFAULT 0);
    CREATE TABLE tag (project_id bigint NOT NULL REFERENCES project (id), label text NOT NULL,
                      PRIMARY KEY (project_id, label));
    $SEED"
  scenario "jdbc:postgresql://127.0.0.1:$port/hub?user=postgres" psql_hub pg-device-
  # plain SQL that any client runs as it is: rows as INSERTs, no psql meta-commands (\restrict)
  pg_dump -h 127.0.0.1 -p "$port" -U postgres --no-owner --no-privileges --inserts hub \
    | grep -v '^\\' >"$out/pg-hub.sql"
fi
ls -l "$out"
