#!/usr/bin/env bash
# rt_contract_renamed.sh -- the build-time runtime contract check fails,
# naming the function, when a runtime function the catalogue names is
# renamed in the headers (and passes on the real headers).
set -u
cd "$(dirname "$0")/../.."
TMP=$(mktemp -d "${TMPDIR:-/tmp}/plat-contract.XXXXXX"); trap 'rm -rf "$TMP"' EXIT
build/rt_contract > "$TMP/contract.c" 2>/dev/null || { echo "rt_contract failed"; exit 1; }
cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -Iruntime "$TMP/contract.c" || { echo "contract fails on the real headers"; exit 1; }
mkdir "$TMP/rt"; cp runtime/*.h "$TMP/rt/"
sed -i 's/\bplat_str_trim\b/plat_str_strip/' "$TMP/rt/plat_value.h"
if cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I"$TMP/rt" "$TMP/contract.c" 2> "$TMP/err"; then
  echo "contract check passed although plat_str_trim was renamed"; exit 1
fi
grep -q "plat_str_trim" "$TMP/err" || { echo "the error does not name plat_str_trim:"; head -5 "$TMP/err"; exit 1; }
cp runtime/*.h "$TMP/rt/"                       # a changed parameter type is caught too
sed -i 's/plat_enum \*plat_file_read(int32_t fd, int64_t max_bytes)/plat_enum *plat_file_read(plat_str *fd, int64_t max_bytes)/' "$TMP/rt/plat_io.h" "$TMP/rt/plat_value.h"
grep -q "plat_file_read(plat_str" "$TMP/rt/"*.h || { echo "test setup: plat_file_read not found"; exit 1; }
if cc -std=gnu11 -Wall -Wextra -Werror -fsyntax-only -I"$TMP/rt" "$TMP/contract.c" 2>/dev/null; then
  echo "contract check passed although plat_file_read changed its parameter type"; exit 1
fi
echo "rt_contract_renamed: ok"
