/* diag.c -- diagnostics as data, and their text and JSON printers.
 *
 * Text output of one error (colour per diag_use_color):
 *
 *   FILE:LINE:COL: error: MESSAGE
 *      12 | the source line
 *         |     ^^^^
 *   help: HELP
 *
 * The caret covers the part of the span on its first line (at least one
 * column); a continuation byte of UTF-8 never starts a column.  A long
 * line is shown as a window around the span.
 *
 * State: `cur` is the list reports go to, set by diag_begin (the compile
 * session owns the list); `fallback` receives them when no session has
 * set one; `ice_trap` is where an internal error jumps (the driver's).
 * All are only touched by the compiler's single thread.
 */
#include "diag.h"

#include <stdlib.h>
#include <unistd.h>

static DiagList fallback;
static DiagList *cur = &fallback;

DiagList *diag_begin(DiagList *list) {
  DiagList *old = cur;
  cur = list ? list : &fallback;
  return old == &fallback ? NULL : old;
}

void diag_list_free(DiagList *l) {
  for (int i = 0; i < l->len; i++) {
    free((char *)l->items[i].msg);
    free((char *)l->items[i].help);
  }
  free(l->items);
  memset(l, 0, sizeof *l);
}

int diag_error_count(void) { return cur->errors; }

static void oom(void) {
  fputs("plat: out of memory\n", stderr);
  abort();
}

static char *dup_or_null(const char *s) {
  if (!s) return NULL;
  char *d = strdup(s);
  if (!d) oom();
  return d;
}

static void report(Span sp, const char *help, const char *fmt, va_list ap) {
  va_list aq;
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, aq);
  va_end(aq);
  char *msg = malloc(n > 0 ? (size_t)n + 1 : 1);
  if (!msg) oom();
  vsnprintf(msg, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
  if (cur->len == cur->cap) {
    int nc = cur->cap ? cur->cap * 2 : 16;
    Diag *ni = realloc(cur->items, sizeof *ni * (size_t)nc);
    if (!ni) oom();
    cur->items = ni;
    cur->cap = nc;
  }
  cur->items[cur->len] = (Diag){SEV_ERROR, sp, msg, dup_or_null(help), cur->len};
  cur->len++;
  cur->errors++;
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

/* ---- internal errors ---- */
static jmp_buf *ice_trap;   /* set by the driver around a compilation */

jmp_buf *diag_set_ice_trap(jmp_buf *trap) {
  jmp_buf *old = ice_trap;
  ice_trap = trap;
  return old;
}

void diag_ice(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("plat: internal compiler error: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  if (ice_trap) longjmp(*ice_trap, 1);
  abort();
}

/* ---- sorting ---- */
static const FileSet *sort_fs;   /* for diag_cmp (qsort has no context) */

static int file_index(Pos p) {
  SrcFile *f = fset_file(sort_fs, p);
  if (!f) return -1;
  for (int i = 0; i < sort_fs->files.len; i++)
    if (sort_fs->files.items[i] == f) return i;
  return -1;
}

static int diag_cmp(const void *a, const void *b) {
  const Diag *x = a, *y = b;
  int fx = file_index(x->span.lo), fy = file_index(y->span.lo);
  if (fx != fy) return fx < fy ? -1 : 1;
  if (x->span.lo != y->span.lo) return x->span.lo < y->span.lo ? -1 : 1;
  return x->seq - y->seq;
}

static bool same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

void diag_sort(DiagList *l, const FileSet *fs) {
  sort_fs = fs;
  if (l->len > 1) qsort(l->items, (size_t)l->len, sizeof *l->items, diag_cmp);
  int k = 0;
  for (int i = 0; i < l->len; i++) {
    Diag *d = &l->items[i];
    bool dup = false;
    for (int j = k - 1; j >= 0 && l->items[j].span.lo == d->span.lo; j--)
      if (l->items[j].span.hi == d->span.hi && same_str(l->items[j].msg, d->msg) &&
          same_str(l->items[j].help, d->help)) dup = true;
    if (dup) {
      free((char *)d->msg);
      free((char *)d->help);
      if (d->sev == SEV_ERROR) l->errors--;
      continue;
    }
    l->items[k++] = *d;
  }
  l->len = k;
}

/* ---- colour ---- */
bool diag_use_color(DiagColor mode, int fd) {
  if (mode != COLOR_AUTO) return mode == COLOR_ALWAYS;
  const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
  if (nc && *nc) return false;
  if (term && !strcmp(term, "dumb")) return false;
  return isatty(fd);
}

/* ---- text printer ---- */
static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

typedef struct Printer { FILE *out; bool color; const SrcFile *f; } Printer;

static const char *col(const Printer *P, const char *code) { return P->color ? code : ""; }

/* Print the character at src[i] (i < end) safely; returns its length.
 * Control characters and invalid UTF-8 print as `?` (one per column, so
 * carets stay aligned: a continuation byte never starts a column). */
static uint32_t put_char(const Printer *P, uint32_t i, uint32_t end) {
  const char *src = P->f->src;
  unsigned char c = (unsigned char)src[i];
  if (c < 0x80) { fputc((c < 0x20 && c != '\t') || c == 0x7F ? '?' : c, P->out); return 1; }
  if (is_cont(c)) return 1;
  uint32_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
  bool ok = c >= 0xC2 && c <= 0xF4 && i + n <= end;
  for (uint32_t k = 1; ok && k < n; k++) ok = is_cont((unsigned char)src[i + k]);
  if (!ok) { fputc('?', P->out); return 1; }
  fwrite(src + i, 1, n, P->out);
  return n;
}

/* The source line holding the span's start, then carets under the span.
 * A long line is shown as a window of EXCERPT_COLS code points. */
#define EXCERPT_COLS 120
static void show_excerpt(const Printer *P, Location at, uint32_t lo, uint32_t hi) {
  const SrcFile *f = P->f;
  const char *src = f->src;
  uint32_t len = f->len;
  uint32_t start = f->line_starts[at.line - 1], end = start;
  while (end < len && src[end] != '\n') end++;
  uint32_t text_end = end;
  if (text_end > start && src[text_end - 1] == '\r') text_end--;
  /* window [ws, we): start EXCERPT_COLS/3 code points before the span */
  uint32_t ws = start, we = text_end;
  int before = at.col - 1;
  if (before > EXCERPT_COLS / 2) {
    int skip = before - EXCERPT_COLS / 3;
    while (skip > 0 || is_cont((unsigned char)src[ws])) { if (!is_cont((unsigned char)src[ws])) skip--; ws++; }
    while (ws < lo && is_cont((unsigned char)src[ws])) ws++;
  }
  int cols = 0;
  for (we = ws; we < text_end; we++) {
    if (!is_cont((unsigned char)src[we]) && ++cols > EXCERPT_COLS) break;
  }
  char gutter[16];
  int gw = snprintf(gutter, sizeof gutter, "%d", at.line);
  fprintf(P->out, "%s%*s |%s %s", col(P, "\033[1;34m"), gw, gutter, col(P, "\033[0m"), ws > start ? "..." : "");
  for (uint32_t i = ws; i < we;) i += put_char(P, i, we);
  fprintf(P->out, "%s\n%s%*s |%s %s", we < text_end ? "..." : "", col(P, "\033[1;34m"), gw, "",
          col(P, "\033[0m"), ws > start ? "   " : "");
  for (uint32_t i = ws; i < lo; i++) {
    unsigned char c = (unsigned char)src[i];
    if (!is_cont(c)) fputc(c == '\t' ? '\t' : ' ', P->out);
  }
  if (hi > we) hi = we;
  fputs(col(P, "\033[1;31m"), P->out);
  int n = 0;
  for (uint32_t i = lo; i < hi; i++) if (!is_cont((unsigned char)src[i])) { fputc('^', P->out); n++; }
  if (n == 0) fputc('^', P->out);
  fprintf(P->out, "%s\n", col(P, "\033[0m"));
}

static void print_text_one(FILE *out, const Diag *d, const FileSet *fs, bool color) {
  Printer P = {out, color, NULL};
  Location at = fset_locate(fs, d->span.lo);
  const char *sev = d->sev == SEV_ERROR ? "error" : "warning";
  const char *sevc = d->sev == SEV_ERROR ? "\033[1;31m" : "\033[1;33m";
  if (at.file)
    fprintf(out, "%s%s:%d:%d:%s ", col(&P, "\033[1m"), at.file->path, at.line, at.col, col(&P, "\033[0m"));
  else
    fprintf(out, "%splat:%s ", col(&P, "\033[1m"), col(&P, "\033[0m"));
  fprintf(out, "%s%s:%s %s%s%s\n", col(&P, sevc), sev, col(&P, "\033[0m"), col(&P, "\033[1m"), d->msg,
          col(&P, "\033[0m"));
  if (at.file) {
    P.f = at.file;
    uint32_t hi = d->span.hi >= d->span.lo ? d->span.hi - at.file->base : at.offset;
    show_excerpt(&P, at, at.offset, hi);
  }
  if (d->help) fprintf(out, "%shelp:%s %s\n", col(&P, "\033[1;36m"), col(&P, "\033[0m"), d->help);
}

void diag_print_text(FILE *out, const DiagList *l, const FileSet *fs, bool color) {
  for (int i = 0; i < l->len; i++) {
    if (i == DIAG_MAX_SHOWN) {
      Location at = fset_locate(fs, l->items[i].span.lo);
      fprintf(out, "%s: too many errors; not showing the rest\n", at.file ? at.file->path : "plat");
      return;
    }
    print_text_one(out, &l->items[i], fs, color);
  }
}

/* ---- JSON printer ---- */
static void json_str(FILE *out, const char *s) {
  if (!s) { fputs("null", out); return; }
  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') fprintf(out, "\\%c", *p);
    else if (*p == '\n') fputs("\\n", out);
    else if (*p == '\t') fputs("\\t", out);
    else if (*p == '\r') fputs("\\r", out);
    else if (*p < 0x20 || *p == 0x7F) fprintf(out, "\\u%04x", *p);
    else fputc(*p, out);
  }
  fputc('"', out);
}

void diag_print_json(FILE *out, const DiagList *l, const FileSet *fs) {
  fputs("[", out);
  for (int i = 0; i < l->len; i++) {
    const Diag *d = &l->items[i];
    Location a = fset_locate(fs, d->span.lo);
    Location b = a.file ? file_locate(a.file, d->span.hi > d->span.lo ? d->span.hi : d->span.lo) : a;
    if (a.file && d->span.hi <= d->span.lo) b.col = a.col + 1;   /* an empty span covers one column */
    fputs(i ? ",\n " : "\n ", out);
    fputs("{\"file\": ", out);
    json_str(out, a.file ? a.file->path : NULL);
    fprintf(out, ", \"line\": %d, \"column\": %d, \"end_line\": %d, \"end_column\": %d, \"severity\": ",
            a.line, a.col, b.line, b.col);
    json_str(out, d->sev == SEV_ERROR ? "error" : "warning");
    fputs(", \"message\": ", out);
    json_str(out, d->msg);
    fputs(", \"help\": ", out);
    json_str(out, d->help);
    fputs("}", out);
  }
  fputs(l->len ? "\n]\n" : "]\n", out);
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
