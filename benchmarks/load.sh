#!/usr/bin/env bash
# End-to-end load benchmark: wrk on loopback against the minimal Jetty 12 LoadServer (and, beside
# it in the same JVM, the JDK's own HttpServer: JdkLoadServer).
#
#   benchmarks/load.sh                       # build, then 3 interleaved rounds of 10 s per case
#   ROUNDS=5 DURATION=20s benchmarks/load.sh # longer
#
# Cases (same endpoint, same Cookie header size class, so only the session layer differs):
#   a  plain           /plain/hello    no filter (the reference; sent the valid access cookie too)
#   b  session-valid   /session/hello  our filter, valid access cookie
#   c  session-reauth  /session/hello  our filter, expired access + valid refresh on every request,
#      and a full re-authentication on every request (refresh verified, Reauth callback, two tokens
#      signed, two Set-Cookie). The engine coalesces concurrent requests carrying the SAME refresh
#      token (single flight), so repeating one cookie would under-measure this: LoadServer writes a
#      pool of 4096 distinct Cookie headers (each from its own login an hour ago) and
#      benchmarks/reauth.lua makes wrk cycle through them, each thread on disjoint lines, so no two
#      requests in flight carry the same refresh token. (Remembered renewals within the grace
#      window need rotation, which the load engine does not use.) wrk runs the Lua per request, a
#      small extra client cost on the shared cores that case a does not pay.
#   d  session-garbage /session/hello  our filter, token-shaped garbage in both cookies
#   n  naive-valid / naive-reauth / naive-garbage   the same three behind a naive Nimbus filter;
#      naive-reauth cycles through its own pool of 4096 distinct headers the same way, for fairness.
#   jdk-plain          the same endpoint on the JDK's com.sun.net.httpserver, no filter (the JDK
#                      reference), sent the very Cookie header of jdk-session-valid: the JDK server
#                      parses headers slowly enough that the header's size alone moves req/s
#   jdk-session-valid  the JDK server behind JwtSessionHttpFilter, valid access cookie
#      (8 handler threads, -Dsun.net.httpserver.nodelay=true; ratio: jdk-session-valid/jdk-plain)
#
# Environment (defaults): ROUNDS=3 DURATION=10s WARMUP=5s THREADS=2 CONNECTIONS=32
#   CASES="plain session-valid session-reauth session-garbage naive-valid naive-reauth naive-garbage
#          jdk-plain jdk-session-valid"
#   JAVA_OPTS="-Xms512m -Xmx512m" SKIP_BUILD=0 MAX_SECONDS=1200 (a hard bound on the whole run)
# Output: a table and the ratios on stdout; every round in benchmarks/target/load-results.csv;
# wrk's raw output in benchmarks/target/load/; the reauth cookie pools next to load-server.env.
# Traffic goes to 127.0.0.1 only.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
CASES=${CASES:-"plain session-valid session-reauth session-garbage naive-valid naive-reauth naive-garbage jdk-plain jdk-session-valid"}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
SKIP_BUILD=${SKIP_BUILD:-0}
MAX_SECONDS=${MAX_SECONDS:-1200}

if ! [[ $ROUNDS =~ ^[0-9]+$ ]] || ((ROUNDS < 1 || ROUNDS > 20)); then
  echo "ROUNDS must be 1..20, got '$ROUNDS'" >&2
  exit 2
fi
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT=benchmarks/target
RAW=$OUT/load
CSV=$OUT/load-results.csv
ENV_FILE=$OUT/load-server.env
START=$SECONDS

if [[ $SKIP_BUILD != 1 ]]; then
  mvn -q -pl benchmarks -am package -DskipTests
fi
mkdir -p "$RAW"
rm -f "$ENV_FILE" "$RAW"/*.txt

# shellcheck disable=SC2086 # JAVA_OPTS is a list of words
java $JAVA_OPTS -cp "$OUT/benchmarks.jar" dev.jwtsession.benchmarks.LoadServer 0 "$ENV_FILE" \
  >"$OUT/load-server.log" 2>&1 &
SERVER_PID=$!
stop_server() {
  if kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 120); do # at most 60 s for the server to start
  [[ -f $ENV_FILE ]] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/load-server.log" >&2; echo "LoadServer died" >&2; exit 1; }
  sleep 0.5
done
[[ -f $ENV_FILE ]] || { echo "LoadServer did not start within 60 s" >&2; exit 1; }
# shellcheck disable=SC1090
source "$ENV_FILE"
BASE="http://127.0.0.1:$PORT"
JDK_BASE="http://127.0.0.1:$JDK_PORT"

# case -> "url|cookie header"
target() {
  case $1 in
    plain) echo "$BASE/plain/hello|$NAIVE_VALID_COOKIE" ;;
    session-valid) echo "$BASE/session/hello|${SESSION_VALID_COOKIE:-}" ;;
    session-reauth) echo "$BASE/session/hello|$(head -n 1 "$SESSION_REAUTH_POOL")" ;;
    session-garbage) echo "$BASE/session/hello|$GARBAGE_COOKIE" ;;
    naive-valid) echo "$BASE/naive/hello|$NAIVE_VALID_COOKIE" ;;
    naive-reauth) echo "$BASE/naive/hello|$(head -n 1 "$NAIVE_REAUTH_POOL")" ;;
    naive-garbage) echo "$BASE/naive/hello|$GARBAGE_COOKIE" ;;
    jdk-plain) echo "$JDK_BASE/plain/hello|${SESSION_VALID_COOKIE:-}" ;;
    jdk-session-valid) echo "$JDK_BASE/session/hello|${SESSION_VALID_COOKIE:-}" ;;
    *) echo "unknown case '$1'" >&2; return 1 ;;
  esac
}

# case -> the file of distinct Cookie headers that reauth.lua cycles through, or nothing
pool() {
  case $1 in
    session-reauth) echo "$SESSION_REAUTH_POOL" ;;
    naive-reauth) echo "$NAIVE_REAUTH_POOL" ;;
    *) echo "" ;;
  esac
}

# Keep only the cases that can run, and check each once: 200, and the expected subject.
RUN_CASES=()
for c in $CASES; do
  if [[ $c == *session-* && $SESSION_WIRED != true ]]; then
    echo "skip $c: the engine is not wired in SessionWiring yet"
    continue
  fi
  IFS='|' read -r url cookie < <(target "$c")
  case $c in
    *-valid | *-reauth) want="hello u-7f3a9c21 200" ;;
    *) want="hello anonymous 200" ;;
  esac
  cookies=("$cookie")
  if [[ -n $(pool "$c") ]]; then # a reauth case: check the last line of its pool too, and that it renews
    pool_file=$(pool "$c")
    lines=$(wc -l <"$pool_file")
    ((lines >= 1024)) || { echo "case $c: only $lines lines in $pool_file" >&2; exit 1; }
    cookies+=("$(tail -n 1 "$pool_file")")
  fi
  for ck in "${cookies[@]}"; do
    body=$(curl -s -o - -D "$OUT/load-check-headers.txt" -w ' %{http_code}' -H "Cookie: $ck" "$url")
    if [[ $(echo $body) != "$want" ]]; then
      echo "case $c: expected '$want', got '$(echo $body)'" >&2
      exit 1
    fi
    if [[ $c == *-reauth ]] && (($(grep -ci '^set-cookie: app_' "$OUT/load-check-headers.txt") != 2)); then
      echo "case $c: the response did not renew both cookies" >&2
      exit 1
    fi
  done
  RUN_CASES+=("$c")
done
((${#RUN_CASES[@]} > 0)) || { echo "no case to run" >&2; exit 1; }

to_ms() { # wrk latency such as 812.00us, 1.20ms, 1.01s -> milliseconds
  awk -v v="$1" 'BEGIN {
    n = v + 0
    if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
    printf "%.3f", n }'
}

run_wrk() { # case duration rawfile
  local url cookie
  IFS='|' read -r url cookie < <(target "$1")
  if [[ -n $(pool "$1") ]]; then # a new refresh token on every request (see reauth.lua)
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -s benchmarks/reauth.lua "$url" \
      -- "$(pool "$1")" "$THREADS" >"$3"
  else
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --latency -H "Cookie: $cookie" "$url" >"$3"
  fi
}

echo "warm-up: $WARMUP per case"
for c in "${RUN_CASES[@]}"; do
  run_wrk "$c" "$WARMUP" "$RAW/warmup-$c.txt"
done

echo "round,case,req_per_s,p50_ms,p99_ms,non_2xx,socket_errors" >"$CSV"
n=${#RUN_CASES[@]}
for ((r = 1; r <= ROUNDS; r++)); do
  if ((SECONDS - START > MAX_SECONDS)); then
    echo "MAX_SECONDS=$MAX_SECONDS reached: stopping after $((r - 1)) rounds" >&2
    break
  fi
  for ((i = 0; i < n; i++)); do # rotate the order each round so no case always runs first
    c=${RUN_CASES[$(((i + r - 1) % n))]}
    raw="$RAW/round$r-$c.txt"
    run_wrk "$c" "$DURATION" "$raw"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' "$raw")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$raw")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$raw")")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$raw")
    errors=$(awk '/Socket errors:/ { s = 0; for (i = 4; i <= NF; i += 2) s += $i; print s }' "$raw")
    echo "$r,$c,$rps,$p50,$p99,${non2xx:-0},${errors:-0}" >>"$CSV"
    printf 'round %d  %-16s %10.0f req/s  p50 %7.3f ms  p99 %7.3f ms\n' "$r" "$c" "$rps" "$p50" "$p99"
  done
done

median() { # column number, case
  awk -F, -v col="$1" -v c="$2" 'NR > 1 && $2 == c { print $col }' "$CSV" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

echo
echo "Medians over the rounds (threads=$THREADS connections=$CONNECTIONS duration=$DURATION)"
printf '%-16s %12s %10s %10s %8s\n' case req/s p50_ms p99_ms non2xx
declare -A RPS
for c in "${RUN_CASES[@]}"; do
  RPS[$c]=$(median 3 "$c")
  bad=$(awk -F, -v c="$c" 'NR > 1 && $2 == c { s += $6 + $7 } END { print s + 0 }' "$CSV")
  printf '%-16s %12.0f %10.3f %10.3f %8d\n' "$c" "${RPS[$c]}" "$(median 4 "$c")" "$(median 5 "$c")" "$bad"
done

ratio() { # label numerator-case target-text [baseline-case, default plain]
  local a=${RPS[${4:-plain}]:-} x=${RPS[$2]:-}
  [[ -n $a && -n $x ]] || return 0
  printf '%-22s %6.3f  %s\n' "$1" "$(awk -v x="$x" -v a="$a" 'BEGIN { print x / a }')" "$3"
}
echo
echo "Ratios of median req/s to plain (a)"
ratio "b/a session-valid" session-valid "(target >= 0.90)"
ratio "c/a session-reauth" session-reauth ""
ratio "d/a session-garbage" session-garbage "(target >= b/a - 0.05)"
ratio "naive/a naive-valid" naive-valid ""
ratio "naive-reauth/a" naive-reauth ""
ratio "naive-garbage/a" naive-garbage ""
ratio "jdk-session/jdk-plain" jdk-session-valid "(target >= 0.90)" jdk-plain
paired() { # label numerator-case baseline-case: the median of the per-round ratios
  local m
  m=$(awk -F, -v x="$2" -v a="$3" 'NR > 1 && $2 == x { X[$1] = $3 } NR > 1 && $2 == a { A[$1] = $3 }
    END { for (r in X) if (r in A && A[r] > 0) print X[r] / A[r] }' "$CSV" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')
  [[ -n $m ]] && printf '%-22s %6.3f  (median of per-round ratios)\n' "$1" "$m"
  return 0
}
echo
paired "b/a session-valid" session-valid plain
paired "jdk-session/jdk-plain" jdk-session-valid jdk-plain
echo
echo "every round: $CSV   raw wrk output: $RAW/"
if awk -F, 'NR > 1 && ($6 + $7) > 0 { bad = 1 } END { exit !bad }' "$CSV"; then
  echo "WARNING: some rounds had non-2xx responses or socket errors (see the CSV)" >&2
fi
