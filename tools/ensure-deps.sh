#!/usr/bin/env bash
# Installs the build's system dependencies when they are missing.
# Usage: tools/ensure-deps.sh gc|go|afl|gdb|crystal
# (crystal: an optional peer of `make bench` only, never needed by the build
# or `make test`)
# Runs apt-get only as root; otherwise prints what to install and fails.
set -u
want=$1
have() {
  case $1 in
    gc)  { [ -f /usr/include/gc.h ] || [ -f /usr/include/gc/gc.h ]; } &&
         [ "$(${CC:-cc} -print-file-name=libgc.a)" != libgc.a ] ;;
    go)  command -v go >/dev/null 2>&1 ;;
    afl) command -v afl-clang-fast >/dev/null 2>&1 ;;
    gdb) command -v gdb >/dev/null 2>&1 ;;
    crystal) command -v crystal >/dev/null 2>&1 ;;
  esac
}
pkg() {
  case $1 in
    gc) echo libgc-dev ;;
    go) echo golang-go ;;
    afl) echo afl++ ;;
    gdb) echo gdb ;;
    crystal) echo crystal ;;
  esac
}
have "$want" && exit 0
p=$(pkg "$want")
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "plat: installing $p (missing) ..." >&2
  if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p" >/dev/null 2>&1 ||
     { apt-get update -q >/dev/null 2>&1 &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p" >/dev/null 2>&1; }; then
    have "$want" && exit 0
  fi
  echo "plat: could not install $p with apt-get; install it by hand: apt-get install $p" >&2
  exit 1
fi
echo "plat: missing dependency: install the Debian package '$p' (apt-get install $p) and run make again" >&2
exit 1
