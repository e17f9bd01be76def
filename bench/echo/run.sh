#!/usr/bin/env bash
# bench/echo/run.sh -- echo round trips per second, Plat vs Go, same client,
# same run.  Not a test: it prints figures and judges nothing.
#
#   bench/echo/run.sh [CONNS [SECONDS [ROUNDS [MSG_BYTES]]]]
#                     defaults 1000 connections, 2 s, 7 rounds, 64 bytes
#
# Builds into build/bench-echo/: the C client (client.c), the Go server
# (echo.go, needs Go: tools/ensure-deps.sh go) and the Plat server
# (server.plat with build/plat; if the compiler cannot build it yet, the
# same server written against the runtime's C API, server_rt.c).  Each
# round runs every server on a fresh port with the same client, in
# alternating order; prints each figure, the medians, their ratio and the
# median of the per-round ratios (the two runs of a round share the load of
# the machine, so that one is the steadiest on a shared box).
# PLAT_WORKERS and GOMAXPROCS are left at their defaults (CPU count).
set -u -o pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 1
conns=${1:-1000}; secs=${2:-2}; rounds=${3:-7}; msg=${4:-64}
out=build/bench-echo
mkdir -p "$out"
cc -O2 -o "$out/client" bench/echo/client.c || exit 1
tools/ensure-deps.sh go || exit 1
(cd bench/echo && go build -o "$root/$out/go_server" echo.go) || exit 1
make -s all >/dev/null || exit 1
if build/plat build bench/echo/server.plat -o "$out/plat_server" >"$out/plat_build.log" 2>&1; then
  plat_kind="server.plat"
else
  cc -std=gnu11 -O2 -pthread -D_GNU_SOURCE -Iruntime -o "$out/plat_server" bench/echo/server_rt.c \
     build/libplatrt.a -lgc -lpthread -lm || exit 1
  plat_kind="server_rt.c (server.plat does not build yet: $out/plat_build.log)"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# run_one SERVER -> prints round trips per second
run_one() {
  local port; port=$(free_port)
  "$1" "$port" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/"$port") 2>/dev/null && break
    sleep 0.1
  done
  local r; r=$("$out/client" "$port" "$conns" "$secs" "$msg" | awk '{print $2}')
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  echo "${r:-0}"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "echo benchmark: $conns connections, $msg-byte messages, ${secs}s x $rounds rounds; Plat server: $plat_kind"
plat_r=(); go_r=()
for i in $(seq "$rounds"); do
  if [ $((i % 2)) = 1 ]; then p=$(run_one "$out/plat_server"); g=$(run_one "$out/go_server")
  else g=$(run_one "$out/go_server"); p=$(run_one "$out/plat_server"); fi
  echo "round $i: plat $p  go $g  (round trips/s)"
  plat_r+=("$p"); go_r+=("$g")
done
pm=$(printf '%s\n' "${plat_r[@]}" | median)
gm=$(printf '%s\n' "${go_r[@]}" | median)
rm=$(for i in "${!plat_r[@]}"; do awk -v a="${plat_r[$i]}" -v b="${go_r[$i]}" 'BEGIN{printf "%.3f\n", b ? a/b : 0}'; done | median)
echo "median: plat $pm  go $gm  plat/go $(awk -v a="$pm" -v b="$gm" 'BEGIN{printf "%.2f", b ? a/b : 0}')  median of per-round plat/go $rm"
