# lib.sh -- helpers for the driver tests (tests/driver/*.sh, see tests/run.sh).
# Each test runs in its own directory $T (also TMPDIR); PLAT is the compiler.
set -u

fail() { echo "$*"; exit 1; }

# run CMD...: runs it, keeping stdout in $T/.out, stderr in $T/.err, status in $ST
run() { "$@" >"$T/.out" 2>"$T/.err"; ST=$?; }

# expect STATUS TEXT CMD...: runs CMD; its status must be STATUS and its
# stderr must contain TEXT (skip the check with TEXT empty)
expect() {
  local want=$1 text=$2; shift 2
  run "$@"
  [ "$ST" = "$want" ] || fail "\`$*\` exited $ST, expected $want; stderr: $(head -c 800 "$T/.err")"
  [ -z "$text" ] || grep -qF -- "$text" "$T/.err" ||
    fail "\`$*\`: stderr lacks \"$text\"; it is: $(head -c 800 "$T/.err")"
}

# no_temps DIR: DIR holds no file a build left behind (plat-* dirs, .*.plat-* files)
no_temps() {
  local left
  left=$(find "$1" -maxdepth 2 \( -name 'plat-*' -o -name '.*.plat-*' -o -name '*.tmp-*' \) 2>/dev/null)
  [ -z "$left" ] || fail "left behind in $1: $left"
}

hello() {  # hello FILE [TEXT]: a program printing TEXT
  printf 'fn main() {\n  print(value = "%s");\n}\n' "${2:-hello}" >"$1"
}
