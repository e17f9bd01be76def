/* diag.c -- diagnostics: location, source excerpt, caret, help.
 *
 * Output of one error (colour only when stderr is a terminal and NO_COLOR
 * is not set):
 *
 *   FILE:LINE:COL: error: MESSAGE
 *      12 | the source line
 *         |     ^^^^
 *   help: HELP
 *
 * LINE and COL are 1-based; COL counts code points (a continuation byte
 * of UTF-8 never starts a column).  The caret covers the part of the span
 * on its first line (at least one column).  After DIAG_MAX_SHOWN errors
 * the rest are counted but not printed.  Between diag_hold and diag_flush
 * reports are kept and then printed sorted by position (the lexer runs
 * ahead of the parser, so this restores source order).
 *
 * State: the current file (set by diag_init) and the error count; owned by
 * this file, one file per compiler run.
 */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define DIAG_MAX_SHOWN 100

static const char *d_path = "<input>";
static const char *d_src = "";
static size_t d_len;
static uint32_t *d_lines;   /* byte offset of each line start (malloc) */
static int d_nlines;
static int d_errors;
static int d_shown;         /* errors printed so far (DIAG_MAX_SHOWN) */
static bool d_color;
static bool d_quiet;

void diag_init(const char *path, const char *src, size_t len) {
  d_path = path; d_src = src; d_len = len; d_errors = 0; d_shown = 0;
  free(d_lines);
  int n = 1;
  for (size_t i = 0; i < len; i++) if (src[i] == '\n') n++;
  d_lines = malloc(sizeof *d_lines * (size_t)n);
  if (!d_lines) { fputs("plat: out of memory\n", stderr); exit(70); }
  d_nlines = 0;
  d_lines[d_nlines++] = 0;
  for (size_t i = 0; i < len; i++) if (src[i] == '\n') d_lines[d_nlines++] = (uint32_t)(i + 1);
  const char *nc = getenv("NO_COLOR");
  d_color = isatty(2) && nc == NULL;
}

void diag_set_quiet(bool quiet) { d_quiet = quiet; }

int diag_error_count(void) { return d_errors; }

static int line_of(uint32_t off) {
  int lo = 0, hi = d_nlines - 1;
  while (lo < hi) {                     /* last line start <= off */
    int mid = (lo + hi + 1) / 2;
    if (d_lines[mid] <= off) lo = mid; else hi = mid - 1;
  }
  return lo;
}

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

void diag_line_col(uint32_t off, int *line, int *col) {
  if (off > d_len) off = (uint32_t)d_len;
  int l = line_of(off);
  int c = 1;
  for (uint32_t i = d_lines[l]; i < off; i++) if (!is_cont((unsigned char)d_src[i])) c++;
  *line = l + 1;
  *col = c;
}

static const char *col(const char *code) { return d_color ? code : ""; }

/* Print the character at d_src[i] (i < end) safely; returns its length.
 * Control characters and invalid UTF-8 print as `?` (one per column, so
 * carets stay aligned: a continuation byte never starts a column). */
static uint32_t put_char(uint32_t i, uint32_t end) {
  unsigned char c = (unsigned char)d_src[i];
  if (c < 0x80) { fputc((c < 0x20 && c != '\t') || c == 0x7F ? '?' : c, stderr); return 1; }
  if (is_cont(c)) return 1;
  uint32_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  bool ok = c >= 0xC2 && c <= 0xF4 && i + n <= end;
  for (uint32_t k = 1; ok && k < n; k++) ok = is_cont((unsigned char)d_src[i + k]);
  if (!ok) { fputc('?', stderr); return 1; }
  fwrite(d_src + i, 1, n, stderr);
  return n;
}

/* The source line holding `sp.lo`, then carets under the span.  A long
 * line is shown as a window of EXCERPT_COLS code points around the span. */
#define EXCERPT_COLS 120
static void show_excerpt(Span sp) {
  if (sp.lo > d_len) sp.lo = (uint32_t)d_len;
  int l = line_of(sp.lo);
  uint32_t start = d_lines[l], end = start;
  while (end < d_len && d_src[end] != '\n') end++;
  uint32_t text_end = end;
  if (text_end > start && d_src[text_end - 1] == '\r') text_end--;
  /* window [ws, we): start EXCERPT_COLS/3 code points before the span */
  uint32_t ws = start, we = text_end;
  int before = 0;
  for (uint32_t i = start; i < sp.lo; i++) if (!is_cont((unsigned char)d_src[i])) before++;
  if (before > EXCERPT_COLS / 2) {
    int skip = before - EXCERPT_COLS / 3;
    while (skip > 0 || is_cont((unsigned char)d_src[ws])) { if (!is_cont((unsigned char)d_src[ws])) skip--; ws++; }
    while (ws < sp.lo && is_cont((unsigned char)d_src[ws])) ws++;
  }
  int cols = 0;
  for (we = ws; we < text_end; we++) {
    if (!is_cont((unsigned char)d_src[we]) && ++cols > EXCERPT_COLS) break;
  }
  char gutter[16];
  int gw = snprintf(gutter, sizeof gutter, "%d", l + 1);
  fprintf(stderr, "%s%*s |%s %s", col("\033[1;34m"), gw, gutter, col("\033[0m"), ws > start ? "..." : "");
  for (uint32_t i = ws; i < we;) i += put_char(i, we);
  fprintf(stderr, "%s\n%s%*s |%s %s", we < text_end ? "..." : "", col("\033[1;34m"), gw, "",
          col("\033[0m"), ws > start ? "   " : "");
  for (uint32_t i = ws; i < sp.lo; i++) {
    unsigned char c = (unsigned char)d_src[i];
    if (!is_cont(c)) fputc(c == '\t' ? '\t' : ' ', stderr);
  }
  uint32_t hi = sp.hi < we ? sp.hi : we;
  fputs(col("\033[1;31m"), stderr);
  int n = 0;
  for (uint32_t i = sp.lo; i < hi; i++) if (!is_cont((unsigned char)d_src[i])) { fputc('^', stderr); n++; }
  if (n == 0) fputc('^', stderr);
  fprintf(stderr, "%s\n", col("\033[0m"));
}

/* Held reports (diag_hold): printed sorted by position at diag_flush. */
typedef struct Held { Span sp; char *help, *msg; int seq; } Held;
static struct { Held *items; int len, cap; } held;   /* malloc'ed; emptied by diag_flush */
static bool d_holding;

static void print_one(Span sp, const char *help, const char *msg) {
  if (d_quiet) return;
  if (++d_shown > DIAG_MAX_SHOWN) {
    if (d_shown == DIAG_MAX_SHOWN + 1) fprintf(stderr, "%s: too many errors; not showing the rest\n", d_path);
    return;
  }
  int line, c;
  diag_line_col(sp.lo, &line, &c);
  fprintf(stderr, "%s%s:%d:%d:%s %serror:%s %s%s%s\n", col("\033[1m"), d_path, line, c, col("\033[0m"),
          col("\033[1;31m"), col("\033[0m"), col("\033[1m"), msg, col("\033[0m"));
  show_excerpt(sp);
  if (help) fprintf(stderr, "%shelp:%s %s\n", col("\033[1;36m"), col("\033[0m"), help);
}

static void report(Span sp, const char *help, const char *fmt, va_list ap) {
  d_errors++;
  if (d_quiet) return;
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!msg) { fputs("plat: out of memory\n", stderr); exit(70); }
  vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  if (d_holding) {
    if (held.len == held.cap) {
      int nc = held.cap ? held.cap * 2 : 16;
      Held *ni = realloc(held.items, sizeof *ni * (size_t)nc);
      if (!ni) { fputs("plat: out of memory\n", stderr); exit(70); }
      held.items = ni; held.cap = nc;
    }
    held.items[held.len] = (Held){sp, help ? strdup(help) : NULL, msg, held.len};
    held.len++;
    return;
  }
  print_one(sp, help, msg);
  free(msg);
}

void diag_hold(void) { d_holding = true; }

static int held_cmp(const void *a, const void *b) {
  const Held *x = a, *y = b;
  if (x->sp.lo != y->sp.lo) return x->sp.lo < y->sp.lo ? -1 : 1;
  return x->seq - y->seq;
}

void diag_flush(void) {
  d_holding = false;
  if (held.len > 1) qsort(held.items, (size_t)held.len, sizeof *held.items, held_cmp);
  for (int i = 0; i < held.len; i++) {
    print_one(held.items[i].sp, held.items[i].help, held.items[i].msg);
    free(held.items[i].help);
    free(held.items[i].msg);
  }
  held.len = 0;
}

void diag_error(Span span, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(span, NULL, fmt, ap);
  va_end(ap);
}

void diag_error_help(Span span, const char *help, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  report(span, help, fmt, ap);
  va_end(ap);
}

/* ---- naming conventions ---- */
static bool up(char c) { return c >= 'A' && c <= 'Z'; }
static bool low(char c) { return c >= 'a' && c <= 'z'; }
static bool dig(char c) { return c >= '0' && c <= '9'; }

/* `myCount` -> `my_count`, `HTTPServer` -> `http_server`, `Foo` -> `foo`. */
const char *diag_snake_case(const char *name) {
  Buf b = {0};
  size_t n = strlen(name);
  for (size_t i = 0; i < n; i++) {
    char c = name[i];
    if (up(c)) {
      bool after_word = i > 0 && (low(name[i - 1]) || dig(name[i - 1]));
      bool acronym_end = i > 0 && up(name[i - 1]) && i + 1 < n && low(name[i + 1]);
      if ((after_word || acronym_end) && b.len && b.data[b.len - 1] != '_') buf_put(&b, "_", 1);
      c = (char)(c - 'A' + 'a');
    }
    buf_put(&b, &c, 1);
  }
  const char *r = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return r;
}

/* `my_class` -> `MyClass`, `myClass` -> `MyClass`, `SHAPE` -> `Shape`. */
const char *diag_title_case(const char *name) {
  Buf b = {0};
  size_t n = strlen(name), i = 0;
  while (i < n) {
    while (i < n && name[i] == '_') i++;
    size_t s = i;
    while (i < n && name[i] != '_') i++;
    bool all_up = true;                    /* `HTTP` -> `Http` only if the whole name shouts */
    for (size_t k = s; k < i; k++) if (low(name[k])) all_up = false;
    for (size_t k = s; k < i; k++) {
      char c = name[k];
      if (k == s && low(c)) c = (char)(c - 'a' + 'A');
      else if (k > s && all_up && up(c) && i - s > 1) c = (char)(c - 'A' + 'a');
      buf_put(&b, &c, 1);
    }
  }
  const char *r = b.len ? arena_strndup(b.data, b.len) : name;
  buf_free(&b);
  return r;
}

/* ---- did you mean ---- */
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

/* Levenshtein distance, case-insensitive; stops early past `limit`. */
static int edit_distance(const char *a, const char *b, int limit) {
  int la = (int)strlen(a), lb = (int)strlen(b);
  if (la - lb > limit || lb - la > limit || lb > 255) return limit + 1;
  int row[256];
  for (int j = 0; j <= lb; j++) row[j] = j;
  for (int i = 1; i <= la; i++) {
    int prev = row[0], best = row[0] = i;
    for (int j = 1; j <= lb; j++) {
      int cur = row[j];
      int cost = lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1]) ? 0 : 1;
      int v = prev + cost;
      if (row[j] + 1 < v) v = row[j] + 1;
      if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
      row[j] = v; prev = cur;
      if (v < best) best = v;
    }
    if (best > limit) return limit + 1;
  }
  return row[lb];
}

const char *diag_did_you_mean(const char *name, const char *const *cands, int n) {
  int len = (int)strlen(name);
  int limit = len <= 2 ? 1 : len <= 5 ? 2 : len / 3 + 1;
  const char *best = NULL;
  int best_d = limit + 1;
  for (int i = 0; i < n; i++) {
    if (!cands[i] || strcmp(cands[i], name) == 0) continue;
    int d = edit_distance(name, cands[i], limit);
    if (d < best_d) { best_d = d; best = cands[i]; }
  }
  if (best || len < 3) return best;
  /* an abbreviation: `cap` for `capacity`, when only one candidate fits */
  for (int i = 0; i < n; i++) {
    if (!cands[i] || strncmp(cands[i], name, (size_t)len) != 0) continue;
    if (best) return NULL;
    best = cands[i];
  }
  return best;
}
