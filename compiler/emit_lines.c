/* emit_lines.c -- exact #line mapping of the generated C.
 *
 * The emitter marks where code for a .plat line starts (emit_line writes
 * `#line N "file.plat"`) and where generated code starts (emit_gen_lines
 * writes `#line 1 "<generated>"`).  Left alone, C numbers the lines after
 * a directive N, N+1, N+2...: a statement emitted over three C lines would
 * claim .plat lines that hold something else (or lie past the end of the
 * file).  This pass rewrites the finished text so that every C line maps
 * exactly: a line under a .plat marker maps to that marker's line (a
 * directive is repeated before each such line when needed), and generated
 * code (preamble, prototypes, literals, main) maps to "<generated>" at its
 * own line number in the final C, so gdb never shows a .plat line for it.
 * Blank lines are dropped; a directive never splits a line continued
 * with a backslash.
 */
#include "emit_int.h"

#include <stdlib.h>

#define GEN_FILE "\"" PLAT_GEN_FILE "\""

typedef struct Loc { const char *file; size_t flen; long line; } Loc;

static bool same_file(Loc a, Loc b) { return a.flen == b.flen && a.file && b.file && !memcmp(a.file, b.file, a.flen); }

/* `#line N "FILE"`: the location it sets; false if `s` is not one. */
static bool parse_line_directive(const char *s, size_t n, Loc *loc) {
  if (n < 7 || memcmp(s, "#line ", 6) != 0) return false;
  char *end;
  long v = strtol(s + 6, &end, 10);
  if (end == s + 6 || *end != ' ' || end[1] != '"') return false;
  loc->line = v;
  loc->file = end + 1;
  loc->flen = (size_t)(s + n - loc->file);
  return true;
}

static bool blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
  return true;
}

void emit_fix_lines(const char *src, size_t len, Buf *dst) {
  const Loc gen = {GEN_FILE, sizeof GEN_FILE - 1, 0};
  Loc want = gen;                 /* what the next code line is for */
  Loc cur = {NULL, 0, 1};         /* what C presumes for the next line */
  long phys = 1;                  /* physical line of dst's next line */
  bool continued = false;         /* the previous line ended with '\' */
  const char *p = src, *end = src + len;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    const char *line = p;
    p = nl ? nl + 1 : end;
    Loc d;
    if (!continued && parse_line_directive(line, n, &d)) {
      want = same_file(d, gen) ? gen : d;
      continue;
    }
    if (!continued && blank(line, n)) continue;
    if (!continued) {
      bool is_gen = same_file(want, gen);
      long target = is_gen ? phys + 1 : want.line;   /* after a directive line */
      if (!same_file(cur, want) || cur.line != (is_gen ? phys : want.line)) {
        buf_printf(dst, "#line %ld %.*s\n", target, (int)want.flen, want.file);
        phys++;
        cur = want;
        cur.line = target;
      }
    }
    buf_put(dst, line, n);
    buf_put(dst, "\n", 1);
    phys++;
    cur.line++;
    continued = n > 0 && line[n - 1] == '\\';
  }
}
