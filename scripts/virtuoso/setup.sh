#!/usr/bin/env bash
# Install Virtuoso Open Source (Debian's virtuoso-opensource) if needed, and start a private
# instance for tests in DIR: its own virtuoso.ini, database under DIR/db, HTTP and SQL ports
# bound to 127.0.0.1 only, anonymous SPARQL Update allowed (the instance is loopback-only and
# disposable). Stop it with scripts/virtuoso/stop.sh DIR. See scripts/virtuoso/README.md.
#
# usage: setup.sh [options] DIR HTTP_PORT [SQL_PORT]
#
#   DIR          folder of the instance (created; a database already there is reused)
#   HTTP_PORT    port of the SPARQL endpoint: http://127.0.0.1:HTTP_PORT/sparql
#   SQL_PORT     port of the SQL (isql/ODBC) listener  [default: HTTP_PORT + 1]
#
# options:
#   --no-install        fail instead of installing Virtuoso when it is missing
#   --max-rows N        [SPARQL] ResultSetMaxRows: rows (and triples) per answer, beyond which
#                       Virtuoso cuts the answer silently  [default: 1000000; Debian's: 10000]
#   --max-query-time S  [SPARQL] MaxQueryExecutionTime, seconds  [default: 60]
#   --no-update-grant   do not grant SPARQL_UPDATE to the anonymous SPARQL user (updates then
#                       need /sparql-auth with HTTP digest auth as dba)
#   -h, --help          this text
#
# environment:
#   VIRTUOSO_DBA_PASSWORD  the dba password: set at install (debconf) and on the instance
#                          [default: dba]
#
# Prints the endpoints and writes them to DIR/endpoints.env (QUERY_URL, UPDATE_URL, GSP_URL,
# SQL_PORT, PID) for scripts. Exits non-zero, with the reason, if the server does not come up.

set -euo pipefail

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" | sed '$d'; }
die() { echo "setup.sh: $*" >&2; exit 1; }

install=1 max_rows=1000000 max_query_time=60 grant_update=1
positional=()
while (($#)); do
    case "$1" in
        --no-install) install=0 ;;
        --max-rows) max_rows=${2:?--max-rows needs a number}; shift ;;
        --max-query-time) max_query_time=${2:?--max-query-time needs seconds}; shift ;;
        --no-update-grant) grant_update=0 ;;
        -h|--help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) positional+=("$1") ;;
    esac
    shift
done
((${#positional[@]} >= 2 && ${#positional[@]} <= 3)) || { usage >&2; exit 2; }
dir=${positional[0]}
http_port=${positional[1]}
sql_port=${positional[2]:-$((http_port + 1))}
for n in "$http_port" "$sql_port" "$max_rows" "$max_query_time"; do
    [[ $n =~ ^[0-9]+$ ]] || die "not a number: $n"
done
password=${VIRTUOSO_DBA_PASSWORD:-dba}
[[ $password != *"'"* ]] || die "VIRTUOSO_DBA_PASSWORD must not contain a single quote"

# --- 1. install --------------------------------------------------------------------------------

if ! command -v virtuoso-t >/dev/null || ! command -v isql-vt >/dev/null; then
    ((install)) || die "virtuoso-t/isql-vt not found: apt-get install virtuoso-opensource"
    "$(dirname "$0")/install.sh" || die "could not install virtuoso-opensource"
fi

# --- 2. the instance's folder and configuration --------------------------------------------------

mkdir -p "$dir/db"
dir=$(cd "$dir" && pwd)
lock="$dir/db/virtuoso.lck"
if [[ -f $lock ]]; then
    pid=$(sed -n 's/^VIRT_PID=//p' "$lock")
    if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
        die "an instance already runs in $dir (pid $pid): scripts/virtuoso/stop.sh $dir"
    fi
    rm -f "$lock"  # left by a killed server
fi
# Debian's web root (the /sparql form page, conductor-less); read only.
server_root=/var/lib/virtuoso-opensource-7/vsp
[[ -d $server_root ]] || server_root="$dir"

cat >"$dir/virtuoso.ini" <<EOF
; Written by scripts/virtuoso/setup.sh: a private, loopback-only test instance.
[Database]
DatabaseFile       = $dir/db/virtuoso.db
ErrorLogFile       = $dir/db/virtuoso.log
LockFile           = $lock
TransactionFile    = $dir/db/virtuoso.trx
xa_persistent_file = $dir/db/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = $dir/db/virtuoso-temp.db
TransactionFile    = $dir/db/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
; host:port binds the SQL listener to loopback only.
ServerPort           = 127.0.0.1:$sql_port
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = .
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 4

[HTTPServer]
ServerPort           = 127.0.0.1:$http_port
ServerRoot           = $server_root
MaxClientConnections = 10
ServerThreads        = 10
MaxKeepAlives        = 10
KeepAliveTimeout     = 10
EnabledDavVSP        = 0
Charset              = UTF-8
EnabledGzipContent   = 1

[URIQA]
; Names the service description graph (http://127.0.0.1:PORT/sparql, not localuriqaserver).
DefaultHost = 127.0.0.1:$http_port

[SPARQL]
ResultSetMaxRows           = $max_rows
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = $max_query_time
DefaultQuery               = SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }
EOF

# --- 3. start -------------------------------------------------------------------------------------

# +wait: daemonize, and return once the server is online (or has failed).
if ! (cd "$dir" && virtuoso-t +configfile "$dir/virtuoso.ini" +wait); then
    tail -20 "$dir/db/virtuoso.log" >&2 || true
    die "virtuoso-t did not start (log: $dir/db/virtuoso.log)"
fi
pid=$(sed -n 's/^VIRT_PID=//p' "$lock" 2>/dev/null || true)

isql() {  # isql PASSWORD SQL...: run statements as dba on the instance
    local pw=$1; shift
    isql-vt "127.0.0.1:$sql_port" dba "$pw" "exec=$*" </dev/null
}
for _ in $(seq 1 100); do  # the HTTP listener follows the SQL one closely
    isql "$password" "status('');" >/dev/null 2>&1 && break
    isql dba "status('');" >/dev/null 2>&1 && break
    sleep 0.2
done

# --- 4. the dba password and the update grant ---------------------------------------------------

if ! isql "$password" "status('');" >/dev/null 2>&1; then
    # A new database has dba/dba.
    isql dba "USER_SET_PASSWORD('dba', '$password');" >/dev/null \
        || die "cannot log in as dba (neither the given password nor the default)"
fi
if ((grant_update)); then
    # Anonymous /sparql runs as the SQL user SPARQL: let it run SPARQL Update (INSERT/DELETE,
    # DROP/CLEAR…) and Graph Store writes on /sparql-graph-crud. Test instance only.
    isql "$password" 'GRANT SPARQL_UPDATE TO "SPARQL";' >/dev/null
fi

# --- 5. wait for the endpoint ---------------------------------------------------------------------

query_url="http://127.0.0.1:$http_port/sparql"
probe() {
    if command -v curl >/dev/null; then
        curl -fsS -o /dev/null --max-time 5 "$query_url?query=ASK%7B%7D"
    elif command -v python3 >/dev/null; then
        python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=5)" \
            "$query_url?query=ASK%7B%7D"
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$http_port") 2>/dev/null
    fi
}
up=0
for _ in $(seq 1 150); do
    if probe 2>/dev/null; then up=1; break; fi
    sleep 0.2
done
((up)) || die "the SPARQL endpoint $query_url does not answer (log: $dir/db/virtuoso.log)"

cat >"$dir/endpoints.env" <<EOF
QUERY_URL=$query_url
UPDATE_URL=$query_url
GSP_URL=http://127.0.0.1:$http_port/sparql-graph-crud
AUTH_QUERY_URL=http://127.0.0.1:$http_port/sparql-auth
AUTH_GSP_URL=http://127.0.0.1:$http_port/sparql-graph-crud-auth
SQL_PORT=$sql_port
PID=$pid
EOF
echo "setup.sh: Virtuoso $(virtuoso-t -? 2>&1 | sed -n 's/^Version \([^ ]*\).*/\1/p' | head -1) running (pid $pid) in $dir"
echo "  SPARQL query/update  $query_url$( ((grant_update)) || echo '  (read only: updates via /sparql-auth)')"
echo "  Graph Store          http://127.0.0.1:$http_port/sparql-graph-crud?graph=IRI"
echo "  digest-auth (dba)    http://127.0.0.1:$http_port/sparql-auth, /sparql-graph-crud-auth"
echo "  SQL                  isql-vt 127.0.0.1:$sql_port dba \$VIRTUOSO_DBA_PASSWORD"
echo "  xsrv-kg              --store sparql:$query_url --gsp-url http://127.0.0.1:$http_port/sparql-graph-crud"
echo "  stop                 scripts/virtuoso/stop.sh $dir"
