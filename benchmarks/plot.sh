#!/usr/bin/env bash
# Plots the req/s of each load case from benchmarks/target/load-results.csv (written by load.sh):
# a bar per case at the median over the rounds, a dot per round. Needs gnuplot
# (Debian: apt-get install gnuplot-nox).
#
#   benchmarks/plot.sh [csv] [png]     # defaults: benchmarks/target/load-results.csv docs/load.png
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CSV=${1:-$ROOT/benchmarks/target/load-results.csv}
PNG=${2:-$ROOT/docs/load.png}
command -v gnuplot >/dev/null || { echo "gnuplot is not installed (Debian: apt-get install gnuplot-nox)" >&2; exit 2; }
[[ -f $CSV ]] || { echo "no $CSV: run benchmarks/load.sh first" >&2; exit 2; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ORDER="plain session-valid session-reauth session-garbage naive-valid naive-reauth naive-garbage"
LABELS="a plain|b session valid|c session reauth|d session garbage|naive valid|naive reauth|naive garbage"
i=0
for c in $ORDER; do
  label=$(echo "$LABELS" | cut -d'|' -f$((i + 1)))
  values=$(awk -F, -v c="$c" 'NR > 1 && $2 == c { print $3 }' "$CSV" | sort -g)
  if [[ -n $values ]]; then
    median=$(echo "$values" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    printf '%d "%s" %s\n' "$i" "$label" "$median" >>"$TMP/median.dat"
    echo "$values" | awk -v x="$i" '{ print x, $1 }' >>"$TMP/rounds.dat"
    i=$((i + 1))
  fi
done
rounds=$(awk -F, 'NR > 1 { print $1 }' "$CSV" | sort -u | wc -l)
mkdir -p "$(dirname "$PNG")"
gnuplot <<GP
set terminal pngcairo size 960,540 font "sans,11"
set output "$PNG"
set title "wrk on loopback, same Jetty endpoint (median of $rounds interleaved rounds; dots: each round)"
set ylabel "requests/s"
set yrange [0:*]
set grid ytics
set style fill solid 0.6 border -1
set boxwidth 0.6
set xtics rotate by -20
unset key
plot "$TMP/median.dat" using 1:3:xtic(2) with boxes lc rgb "#4c78a8", \
     "" using 1:3:(sprintf("%.0f", \$3)) with labels offset 0,0.8, \
     "$TMP/rounds.dat" using 1:2 with points pt 7 ps 0.6 lc rgb "#e45756"
GP
echo "wrote $PNG"
