/* str.c -- String: construction, comparison and the methods of section 6.
 *
 * A plat_str is immutable.  It is allocated as one pointer-free GC object
 * holding the header and the bytes (data points just past the header), so
 * a string costs one allocation and the collector never scans its text.
 * Every string is NUL-terminated for C calls; the text itself may contain
 * NUL bytes ("\0" is a Plat escape), so lengths always come from `len`.
 *
 * Indices and lengths are in code points, counted by the decoder steps of
 * utf8.c (an invalid byte counts as one code point).  Out-of-range
 * indices never fail: substring() clamps, char_at()/index_of() return
 * Option::None.  to_upper/to_lower map ASCII, Latin-1, Latin Extended-A,
 * basic Greek and Cyrillic one to one (no special cases such as the
 * German sharp s or the Turkish dotted I); other code points are kept.
 *
 * Size limit: lengths and indices are Int32, so no String is longer than
 * PLAT_STR_MAX (2^31 - 1) bytes.  Every string is allocated by
 * plat_str_alloc_at, which panics ("string too long") instead of building
 * a longer one; operations that add lengths (concat, join) check before
 * they allocate or copy anything, so the arithmetic never overflows and
 * the limit is testable without 2 GiB of memory.  Hence length(),
 * byte_length() and index_of() are always exact.  The *_at variants carry
 * the .plat location for the panic: generated code calls them (the
 * preamble maps plat_str_concat, plat_list_join and plat_str_replace to
 * them); the plain names pass no location.
 */
#include <stdarg.h>
#include <stdio.h>
#include "plat_value.h"

__attribute__((noreturn)) void plat_str_too_long(int64_t len, const char *file, int line)
{
  plat_panicf(file, line, "string too long: %s%lld bytes (the largest String is %lld bytes)",
              len < 0 ? "more than " : "", (long long)(len < 0 ? PLAT_STR_MAX : len),
              (long long)PLAT_STR_MAX);
}

/* len < 0: a sum that was stopped past the limit (its exact value unknown) */
plat_str *plat_str_alloc_at(int64_t len, char **data, const char *file, int line)
{
  if (len < 0 || len > PLAT_STR_MAX) plat_str_too_long(len, file, line);
  plat_str *s = plat_alloc_atomic(sizeof(plat_str) + (size_t)len + 1);
  char *d = (char *)(s + 1);
  d[len] = '\0';
  s->len = len;
  s->data = d;
  *data = d;
  return s;
}

plat_str *plat_str_alloc(int64_t len, char **data) { return plat_str_alloc_at(len, data, NULL, 0); }

plat_str *plat_str_new(const char *data, int64_t len)
{
  char *d;
  plat_str *s = plat_str_alloc(len, &d);
  if (len > 0) memcpy(d, data, (size_t)len);
  return s;
}

plat_str *plat_str_cstr(const char *s) { return plat_str_new(s, (int64_t)strlen(s)); }

plat_str *plat_str_fmt(const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n < sizeof small) return plat_str_new(small, n);
  char *d;
  plat_str *s = plat_str_alloc(n, &d);
  va_start(ap, fmt);
  vsnprintf(d, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

plat_str *plat_str_concat_at(plat_str *a, plat_str *b, const char *file, int line)
{
  if (b->len == 0) return a;
  if (a->len == 0) return b;
  char *d;                          /* each len <= PLAT_STR_MAX: the sum fits */
  plat_str *s = plat_str_alloc_at(a->len + b->len, &d, file, line);
  memcpy(d, a->data, (size_t)a->len);
  memcpy(d + a->len, b->data, (size_t)b->len);
  return s;
}

plat_str *plat_str_concat(plat_str *a, plat_str *b) { return plat_str_concat_at(a, b, NULL, 0); }

bool plat_str_eq(plat_str *a, plat_str *b)
{
  return a == b || (a->len == b->len && memcmp(a->data, b->data, (size_t)a->len) == 0);
}

int plat_str_cmp(plat_str *a, plat_str *b)
{
  int64_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->data, b->data, (size_t)n);
  if (c != 0) return c < 0 ? -1 : 1;
  return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

/* Exact: no string is longer than PLAT_STR_MAX bytes (plat_str_alloc_at). */
int32_t plat_str_length(plat_str *s) { return (int32_t)plat_utf8_count(s->data, s->len); }
int32_t plat_str_byte_length(plat_str *s) { return (int32_t)s->len; }
bool plat_str_is_empty(plat_str *s) { return s->len == 0; }

/* Byte offset of the first occurrence of sub at or after `from`, or -1. */
static int64_t find(plat_str *s, plat_str *sub, int64_t from)
{
  if (sub->len == 0) return from;
  if (s->len - from < sub->len) return -1;
  const char *p = memmem(s->data + from, (size_t)(s->len - from), sub->data, (size_t)sub->len);
  return p ? p - s->data : -1;
}

bool plat_str_contains(plat_str *s, plat_str *sub) { return find(s, sub, 0) >= 0; }

bool plat_str_starts_with(plat_str *s, plat_str *p)
{
  return p->len <= s->len && memcmp(s->data, p->data, (size_t)p->len) == 0;
}

bool plat_str_ends_with(plat_str *s, plat_str *p)
{
  return p->len <= s->len && memcmp(s->data + s->len - p->len, p->data, (size_t)p->len) == 0;
}

plat_enum *plat_str_index_of(plat_str *s, plat_str *sub)
{
  int64_t at = find(s, sub, 0);
  if (at < 0) return plat_none();
  return plat_some(plat_w_i64(plat_utf8_count(s->data, at)));
}

plat_str *plat_str_substring(plat_str *s, int32_t start, int32_t end)
{
  if (start < 0) start = 0;
  if (end <= start) return plat_str_new("", 0);
  int64_t b = plat_utf8_offset(s->data, s->len, start);
  int64_t e = b + plat_utf8_offset(s->data + b, s->len - b, (int64_t)end - start);
  if (b == 0 && e == s->len) return s;
  return plat_str_new(s->data + b, e - b);
}

plat_enum *plat_str_char_at(plat_str *s, int32_t index)
{
  if (index < 0) return plat_none();
  int64_t b = plat_utf8_offset(s->data, s->len, index);
  if (b >= s->len) return plat_none();
  int32_t cp;
  int n = plat_utf8_decode(s->data, s->len, b, &cp);
  return plat_some(plat_w_ptr(plat_str_new(s->data + b, n)));
}

plat_list *plat_str_split(plat_str *s, plat_str *sep)
{
  plat_list *out = plat_list_new(4);
  if (sep->len == 0) {              /* into code points; "" gives [] */
    int32_t cp;
    for (int64_t i = 0; i < s->len;) {
      int n = plat_utf8_decode(s->data, s->len, i, &cp);
      plat_list_push(out, plat_w_ptr(plat_str_new(s->data + i, n)));
      i += n;
    }
    return out;
  }
  int64_t from = 0, at;
  while ((at = find(s, sep, from)) >= 0) {
    plat_list_push(out, plat_w_ptr(plat_str_new(s->data + from, at - from)));
    from = at + sep->len;
  }
  plat_list_push(out, plat_w_ptr(plat_str_new(s->data + from, s->len - from)));
  return out;
}

/* Unicode White_Space property. */
static bool is_space(int32_t c)
{
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

plat_str *plat_str_trim(plat_str *s)
{
  int64_t b = -1, e = 0, i = 0;
  int32_t cp;
  while (i < s->len) {              /* b: first non-space, e: end of last */
    int n = plat_utf8_decode(s->data, s->len, i, &cp);
    if (!is_space(cp) || (cp == 0xFFFD && n == 1)) {
      if (b < 0) b = i;
      e = i + n;
    }
    i += n;
  }
  if (b < 0) return plat_str_new("", 0);
  if (b == 0 && e == s->len) return s;
  return plat_str_new(s->data + b, e - b);
}

/* One-to-one case pairs; every mapping keeps the UTF-8 length. */
static int32_t cp_upper(int32_t c)
{
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c == 0xFF) return 0x178;
  if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
    return (c & 1) ? c - 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c : c - 1;
  if (c == 0x3C2) return 0x3A3;
  if (c >= 0x3B1 && c <= 0x3C9) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

static int32_t cp_lower(int32_t c)
{
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c >= 0xC0 && c <= 0xDE && c != 0xD7) return c + 32;
  if (c == 0x178) return 0xFF;
  if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
    return (c & 1) ? c : c + 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

static plat_str *map_case(plat_str *s, int32_t (*map)(int32_t))
{
  char *d;
  plat_str *out = plat_str_alloc(s->len, &d);
  memcpy(d, s->data, (size_t)s->len);
  int32_t cp;
  char enc[4];
  for (int64_t i = 0; i < s->len;) {
    int n = plat_utf8_decode(s->data, s->len, i, &cp);
    int32_t m = (cp == 0xFFFD && n == 1) ? cp : map(cp);
    if (m != cp && plat_utf8_encode((uint32_t)m, enc) == n) memcpy(d + i, enc, (size_t)n);
    i += n;
  }
  return out;
}

plat_str *plat_str_to_upper(plat_str *s) { return map_case(s, cp_upper); }
plat_str *plat_str_to_lower(plat_str *s) { return map_case(s, cp_lower); }

/* Like Rust and Go: an empty `from` matches before every code point and
 * at the end ("ab".replace("", "-") == "-a-b-"). */
plat_str *plat_str_replace_at(plat_str *s, plat_str *from, plat_str *to, const char *file, int line)
{
  plat_list *parts = plat_str_split(s, from);
  if (from->len == 0) {
    plat_list_insert_at(parts, 0, plat_w_ptr(plat_str_new("", 0)));
    plat_list_push(parts, plat_w_ptr(plat_str_new("", 0)));
  }
  if (parts->len == 1) return s;
  return plat_list_join_at(parts, to, file, line);
}

plat_str *plat_str_replace(plat_str *s, plat_str *from, plat_str *to)
{
  return plat_str_replace_at(s, from, to, NULL, 0);
}
