#!/usr/bin/env bash
# Spring Boot end-to-end load benchmark: wrk on loopback against one Boot 4.0.7 app on Tomcat with a
# trivial controller (GET /hello), started four times, once per way of knowing the user:
#
#   a  plain            no session layer (the reference; sends a JWT-sized cookie it never reads)
#   b  starter          jwt-session-spring-boot-starter, a valid access cookie
#   c  spring-session   Spring Session Data Redis with a logged-in session, local redis-server
#   d  resource-server  Spring Security's OAuth2 resource server, NimbusJwtDecoder, HS256 bearer JWT
#
#   benchmarks/spring-boot-load.sh                        # build, then 3 interleaved rounds
#   ROUNDS=5 DURATION=20s benchmarks/spring-boot-load.sh  # longer
#
# All four apps run at once on their own ports (idle ones cost no CPU); each round runs every case
# for WARMUP then DURATION, in an order that rotates per round. Environment (defaults): ROUNDS=3
# DURATION=10s WARMUP=5s PREWARM=30s (once per app before the first round, so the JIT has compiled
# the hot paths of all four before anything is measured) THREADS=2 CONNECTIONS=32
# JAVA_OPTS="-Xms512m -Xmx512m" SKIP_BUILD=0.
# Output: a table with each case's median req/s and its ratio to a, per round and of the medians;
# raw wrk output and the CSV in benchmarks/target/boot-load/. Traffic goes to 127.0.0.1 only.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-5s}
PREWARM=${PREWARM:-30s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
SKIP_BUILD=${SKIP_BUILD:-0}
CASES=(plain starter spring-session resource-server)

command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is not installed" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
if [[ $SKIP_BUILD != 1 ]]; then
  mvn -q -B -ntp -pl benchmarks/spring-boot -am package -DskipTests
fi
APP=$ROOT/benchmarks/spring-boot/target/jwt-session-spring-boot-benchmark.jar
OUT=$ROOT/benchmarks/target/boot-load
mkdir -p "$OUT"
rm -rf "$OUT"/*.txt "$OUT"/target "$OUT"/results.csv

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

REDIS_PORT=$(free_port)
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no >"$OUT/redis.log" 2>&1 &
PIDS+=($!)

declare -A PORT
for case in "${CASES[@]}"; do
  PORT[$case]=$(free_port)
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of words
  (cd "$OUT" && exec java $JAVA_OPTS -jar "$APP" "$case" "${PORT[$case]}" "redis://127.0.0.1:$REDIS_PORT") \
    >"$OUT/app-$case.log" 2>&1 &
  PIDS+=($!)
done
for case in "${CASES[@]}"; do
  for _ in $(seq 1 240); do # at most 120 s per app under load
    [[ -s $OUT/target/boot-$case.header ]] && break
    sleep 0.5
  done
  [[ -s $OUT/target/boot-$case.header ]] || { cat "$OUT/app-$case.log" >&2; echo "$case did not start" >&2; exit 1; }
  header=$(cat "$OUT/target/boot-$case.header")
  body=$(curl -s -H "$header" "http://127.0.0.1:${PORT[$case]}/hello")
  echo "$case: GET /hello -> $body"
  expected="hello alice"
  [[ $case == plain ]] && expected="hello stranger"
  [[ $body == "$expected" ]] || { echo "$case answered '$body', expected '$expected'" >&2; exit 1; }
done

for case in "${CASES[@]}"; do
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$PREWARM" -H "$(cat "$OUT/target/boot-$case.header")" \
    "http://127.0.0.1:${PORT[$case]}/hello" >"$OUT/prewarm-$case.txt"
  echo "prewarmed $case: $(awk '/Requests\/sec/ {print $2}' "$OUT/prewarm-$case.txt") req/s"
done

echo "round,case,requests_per_second,non2xx" >"$OUT/results.csv"
for round in $(seq 1 "$ROUNDS"); do
  order=("${CASES[@]:$(( (round - 1) % 4 ))}" "${CASES[@]:0:$(( (round - 1) % 4 ))}")
  for case in "${order[@]}"; do
    header=$(cat "$OUT/target/boot-$case.header")
    url="http://127.0.0.1:${PORT[$case]}/hello"
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$WARMUP" -H "$header" "$url" >/dev/null
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "$header" "$url" \
      >"$OUT/round$round-$case.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/round$round-$case.txt")
    non2xx=$(awk '/Non-2xx/ {print $5}' "$OUT/round$round-$case.txt")
    echo "$round,$case,$rps,${non2xx:-0}" >>"$OUT/results.csv"
    echo "round $round $case: $rps req/s (non-2xx: ${non2xx:-0})"
  done
done

python3 - "$OUT/results.csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cases = ["plain", "starter", "spring-session", "resource-server"]
label = {"plain": "a: no session layer", "starter": "b: jwt-session starter, valid access cookie",
         "spring-session": "c: Spring Session Data Redis, logged-in session",
         "resource-server": "d: Spring Security resource server, NimbusJwtDecoder bearer JWT"}
by = {c: {int(r["round"]): float(r["requests_per_second"]) for r in rows if r["case"] == c} for c in cases}
med = {c: statistics.median(by[c].values()) for c in cases}
print("| case | req/s (median) | ratio to a (of medians) | median of per-round ratios | per round |")
print("|---|---:|---:|---:|---|")
for c in cases:
    ratios = [by[c][r] / by["plain"][r] for r in sorted(by[c])]
    print(f"| {label[c]} | {med[c]:,.0f} | {med[c] / med['plain']:.3f} | {statistics.median(ratios):.3f} | "
          + ", ".join(f"{x:.2f}" for x in ratios) + " |")
PY
