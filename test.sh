#!/usr/bin/env bash
# Runs every test of jwt-session on a fresh Debian machine with Java 17 and Maven.
# The Redis and browser tests use real programs: redis-server, chromium and chromedriver; the
# SvelteKit interop test runs node's jsonwebtoken (Node.js and npm). This script
# installs the missing ones from Debian's packages (as root, or through sudo), then runs the build.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]} from Debian's packages"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q || { sleep 5; $sudo apt-get update -q; }
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

exec mvn -B -ntp verify "$@"
