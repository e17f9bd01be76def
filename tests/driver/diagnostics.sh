# Diagnostics for tools and terminals (GUIDE.md, "Compile errors"):
# `plat check --json` prints them as a JSON array on stdout; colour follows
# --color=auto|always|never, and auto means a terminal with no non-empty
# NO_COLOR and a TERM other than dumb.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
printf 'fn main() {\n  let n: Int32 = "x";\n  print(value = totl);\n}\n' >bad.plat
run "$PLAT" check --json bad.plat
[ "$ST" = 1 ] || fail "check --json on errors: status $ST, expected 1"
[ ! -s "$T/.err" ] || fail "check --json wrote to stderr: $(cat "$T/.err")"
python3 - "$T/.out" <<'PY' || fail "bad JSON: $(cat "$T/.out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) == 2, d
a, b = d
keys = {"file", "line", "column", "end_line", "end_column", "severity", "message", "help"}
assert set(a) == keys and set(b) == keys, (a, b)
assert (a["file"], a["line"], a["column"], a["end_line"], a["end_column"]) == ("bad.plat", 2, 18, 2, 21), a
assert a["severity"] == "error" and "expected Int32, found String" in a["message"], a
assert (b["line"], b["column"], b["end_column"]) == (3, 17, 21) and b["message"] == "unknown name `totl`", b
assert a["help"] is None or isinstance(a["help"], str)
PY
printf 'fn main() {}\n' >good.plat
run "$PLAT" check --json good.plat
[ "$ST" = 0 ] && [ "$(cat "$T/.out")" = "[]" ] || fail "check --json on a good file: status $ST, stdout $(cat "$T/.out")"
# a string with quotes and control characters is escaped
printf 'fn main() {\n  let s: Int32 = "a\\"b\\tc";\n}\n' >esc.plat
run "$PLAT" check --json esc.plat
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/.out" || fail "escaping: $(cat "$T/.out")"

esc=$(printf '\033[')
colored() { grep -qF "$esc" "$T/.err"; }
# not a terminal: no colour unless asked
run "$PLAT" check bad.plat; colored && fail "colour when stderr is not a terminal"
run "$PLAT" check --color=always bad.plat; colored || fail "--color=always gives no colour"
run "$PLAT" --color=always check bad.plat; colored || fail "--color=always before the command gives no colour"
expect 2 "--color takes auto, always or never" "$PLAT" check --color=sometimes bad.plat
# on a terminal (script gives one)
tty() {  # tty ENV... : plat check bad.plat on a pseudo-terminal; output in $T/.err
  env "$@" script -qec "'$PLAT' check bad.plat" /dev/null >"$T/.err" 2>&1 </dev/null
}
tty TERM=xterm; colored || fail "no colour on a terminal"
tty TERM=xterm NO_COLOR=; colored || fail "an empty NO_COLOR turned colour off"
tty TERM=xterm NO_COLOR=1; colored && fail "NO_COLOR=1 left colour on"
tty TERM=dumb; colored && fail "TERM=dumb left colour on"
env TERM=xterm script -qec "'$PLAT' check --color=never bad.plat" /dev/null >"$T/.err" 2>&1 </dev/null
colored && fail "--color=never on a terminal gave colour"
exit 0
