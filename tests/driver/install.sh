# make install PREFIX=...: the installed plat finds its runtime next to it
# (PREFIX/lib/plat), also after the prefix is moved; a copied plat finds the
# tree it was built in; PLAT_HOME overrides.  Programs link Boehm GC
# statically: ldd shows no libgc.  As root, the build tree is also hidden
# (tmpfs mounted over it in a private mount namespace) while the installed
# plat builds and runs a program; without root that part cannot run and
# the test says so on stdout (the search order still puts the installation
# first, which `plat env` shows).
. "$ROOT/tests/driver/lib.sh"
cd "$T"
unset PLAT_HOME
make -s --no-print-directory -C "$ROOT" install PREFIX="$T/prefix" >make.out 2>&1 || fail "make install failed: $(tail -5 make.out)"
for f in bin/plat lib/plat/libplatrt.a lib/plat/libgc.a lib/plat/include/plat_rt.h lib/plat/include/plat_test.h; do
  [ -f "prefix/$f" ] || fail "make install did not install $f"
done
hello hello.plat
expect 0 "" prefix/bin/plat env
grep -qx "runtime:  $T/prefix/lib/plat (installed next to plat)" "$T/.out" || fail "installed plat env: $(cat "$T/.out")"
expect 0 "" prefix/bin/plat build hello.plat -o hello
[ "$(./hello)" = hello ] || fail "the program built by the installed plat does not print hello"
ldd ./hello | grep -q libgc && fail "the built program needs libgc dynamically: $(ldd ./hello)"

# a moved prefix still works
mv prefix moved
expect 0 "" moved/bin/plat env
grep -qx "runtime:  $T/moved/lib/plat (installed next to plat)" "$T/.out" || fail "moved plat env: $(cat "$T/.out")"
expect 0 "" moved/bin/plat run hello.plat
[ "$(cat "$T/.out")" = hello ] || fail "the moved plat's run printed $(cat "$T/.out")"

# a copied plat uses the tree it was built in
mkdir solo && cp "$PLAT" solo/plat
expect 0 "" solo/plat env
grep -q "(the source tree plat was built in)" "$T/.out" || fail "copied plat env: $(cat "$T/.out")"
expect 0 "" solo/plat build hello.plat -o hello2
[ "$(./hello2)" = hello ] || fail "the copied plat's program does not print hello"

# PLAT_HOME: an installed runtime directory, or an error naming it
expect 0 "" env PLAT_HOME="$T/moved/lib/plat" solo/plat env
grep -qx "runtime:  $T/moved/lib/plat (PLAT_HOME)" "$T/.out" || fail "PLAT_HOME env: $(cat "$T/.out")"
expect 1 "PLAT_HOME=$T/nowhere holds no Plat runtime" env PLAT_HOME="$T/nowhere" solo/plat build hello.plat

# the build tree hidden: the installed plat still builds and runs programs
if [ "$(id -u)" = 0 ] && unshare -m true 2>/dev/null; then
  unshare -m bash -c "mount -t tmpfs none '$ROOT/build' && mount -t tmpfs none '$ROOT/runtime' &&
    [ ! -e '$ROOT/build/libplatrt.a' ] && cd '$T' && moved/bin/plat build hello.plat -o hidden" >hide.out 2>&1 ||
    fail "with the build tree hidden, the installed plat failed: $(cat hide.out)"
  [ "$(./hidden)" = hello ] || fail "built with the tree hidden, the program does not print hello"
else
  echo "note: not root (or no unshare): the build tree was not hidden for this test"
fi
exit 0
