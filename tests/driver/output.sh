# plat build never overwrites the source (by any name) or a file that is not
# an executable; a bad -o is a user error (status 1) naming the path and the
# OS reason; nothing is left behind, also when the C compiler fails or plat
# is stopped by a signal.
. "$ROOT/tests/driver/lib.sh"
cd "$T"
hello prog
cp prog prog.orig
cp prog prog.plat

# the default output of `prog` (no .plat) is the source itself
expect 1 "default name \`prog\` is the source file itself" "$PLAT" build prog
cmp -s prog prog.orig || fail "plat build prog changed the source"
# -o naming the source: same path, another path, a symlink, a hard link
mkdir sub
for o in prog.plat ./sub/../prog.plat "$T/prog.plat"; do
  expect 1 "names the source file" "$PLAT" build prog.plat -o "$o"
done
ln -s prog.plat link
ln prog.plat hard
expect 1 "names the source file" "$PLAT" build prog.plat -o link
expect 1 "names the source file" "$PLAT" build prog.plat -o hard
cmp -s prog.plat prog.orig || fail "plat build changed the source"
# an existing file that is not an executable is not replaced
echo "notes" >notes.txt
expect 1 "refusing to overwrite notes.txt: it exists and is not an executable" "$PLAT" build prog.plat -o notes.txt
[ "$(cat notes.txt)" = notes ] || fail "notes.txt was changed"

# bad -o paths: user errors naming the path and the reason
expect 1 "cannot write the executable to sub: it is a directory" "$PLAT" build prog.plat -o sub
expect 1 "cannot write the executable missing/x: No such file or directory" "$PLAT" build prog.plat -o missing/x
expect 1 "cannot write the executable prog.plat/x: Not a directory" "$PLAT" build prog.plat -o prog.plat/x
if [ "$(id -u)" = 0 ]; then ro=/sys/plat-driver-test; else mkdir ro; chmod 555 ro; ro=ro/x; fi
expect 1 "cannot write the executable $ro: Permission denied" "$PLAT" build prog.plat -o "$ro"
grep -q "internal" "$T/.err" && fail "a bad -o is reported as an internal error"
no_temps "$T"

# a good build, then a rebuild over the executable while it runs
printf 'fn main() {\n  sleep(ms = 60000);\n}\n' >sleeper.plat
expect 0 "" "$PLAT" build sleeper.plat
./sleeper & pid=$!
expect 0 "" "$PLAT" build sleeper.plat
kill "$pid"; wait "$pid" 2>/dev/null
expect 0 "" "$PLAT" build prog.plat -o out
[ "$(./out)" = hello ] || fail "the built program does not print hello"
hello prog.plat again
expect 0 "" "$PLAT" build prog.plat -o out
[ "$(./out)" = again ] || fail "rebuilding did not replace the executable"
no_temps "$T"

# the C compiler failing: an internal error (70), its temporaries removed
mkdir cc
printf '#!/bin/sh\necho "cc: bad code" >&2\nexit 1\n' >cc/bad-cc; chmod +x cc/bad-cc
expect 70 "internal compiler error" env PLAT_CC="$T/cc/bad-cc" "$PLAT" build prog.plat -o out2
grep -qF "cc: bad code" "$T/.err" || fail "the C compiler's message is not shown"
[ ! -e out2 ] || fail "a failed build produced out2"
[ "$(./out)" = again ] || fail "a failed build damaged the previous output"
no_temps "$T"
# PLAT_KEEP_C keeps the generated C and says where
expect 70 "generated C kept at" env PLAT_KEEP_C=1 PLAT_CC="$T/cc/bad-cc" "$PLAT" build prog.plat -o out2
kept=$(sed -n 's/.*generated C kept at //p' "$T/.err")
[ -f "$kept" ] || fail "PLAT_KEEP_C: $kept does not exist"
rm -rf "$(dirname "$kept")"

# stopped by a signal while the C compiler runs: nothing left, compiler killed
printf '#!/bin/sh\necho $$ >"%s/cc.pid"\nexec sleep 600\n' "$T" >cc/slow-cc; chmod +x cc/slow-cc
PLAT_CC="$T/cc/slow-cc" "$PLAT" build prog.plat -o out3 2>/dev/null & pid=$!
for _ in $(seq 1 600); do [ -s cc.pid ] && break; sleep 0.1; done
[ -s cc.pid ] || fail "the slow C compiler never started"
kill -TERM "$pid"; wait "$pid"; st=$?
[ "$st" = 143 ] || fail "plat stopped by SIGTERM exited $st, expected 143"
ccpid=$(cat cc.pid)
for _ in $(seq 1 100); do kill -0 "$ccpid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$ccpid" 2>/dev/null && fail "the C compiler (pid $ccpid) still runs after plat was stopped"
rm -f cc.pid
[ ! -e out3 ] || fail "an interrupted build produced out3"
no_temps "$T"
exit 0
