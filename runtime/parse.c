/* parse.c -- String.parse_int/parse_int64/parse_float/parse_bool.
 *
 * Accepted syntax (as Rust's str::parse; no surrounding whitespace, no
 * digit separators -- call trim() first if needed):
 *   integers  [+-]?[0-9]+          decimal only; must fit the type
 *   floats    [+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?
 *             or [+-]?(inf|infinity|nan), case-insensitive; a magnitude
 *             too large becomes inf, too small becomes 0 (like Rust)
 *   bools     exactly "true" or "false"
 * Errors are Err(String) naming the function and quoting the input
 * (shortened to 40 bytes): `parse_int: invalid digit in "12x"`,
 * `parse_int: empty string`, `parse_int: "99999999999" is out of range
 * for Int32`.  No state; thread-safe.
 */
#include <stdlib.h>
#include <strings.h>
#include "plat_value.h"

/* The input quoted for an error message, cut at a character boundary. */
static const char *quoted(plat_str *s, char *buf)
{
  int64_t n = s->len;
  bool cut = n > 40;
  if (cut) {
    n = 40;
    while (n > 0 && ((unsigned char)s->data[n] & 0xC0) == 0x80) n--;
  }
  buf[0] = '"';
  memcpy(buf + 1, s->data, (size_t)n);
  strcpy(buf + 1 + n, cut ? "...\"" : "\"");
  for (int64_t i = 1; i <= n; i++) if (buf[i] == '\0') buf[i] = '?';
  return buf;
}

static plat_enum *parse_err(const char *fn, const char *what, plat_str *s)
{
  char q[64];
  return plat_err(plat_w_ptr(plat_str_fmt("%s: %s in %s", fn, what, quoted(s, q))));
}

static plat_enum *parse_integer(plat_str *s, const char *fn, const char *type, int64_t min, int64_t max)
{
  if (s->len == 0) return plat_err(plat_w_ptr(plat_str_fmt("%s: empty string", fn)));
  const char *p = s->data, *end = p + s->len;
  bool neg = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  if (p == end) return parse_err(fn, "no digits", s);
  uint64_t limit = neg ? (uint64_t)0 - (uint64_t)min : (uint64_t)max, v = 0;
  bool range = false;
  for (; p < end; p++) {
    if (*p < '0' || *p > '9') return parse_err(fn, "invalid digit", s);
    unsigned d = (unsigned)(*p - '0');
    if (v > (limit - d) / 10) range = true;
    else v = v * 10 + d;
  }
  if (range) {
    char q[64];
    return plat_err(plat_w_ptr(plat_str_fmt("%s: %s is out of range for %s", fn, quoted(s, q), type)));
  }
  int64_t r = neg ? (int64_t)((uint64_t)0 - v) : (int64_t)v;
  return plat_ok(plat_w_i64(r));
}

plat_enum *plat_str_parse_int(plat_str *s)
{
  return parse_integer(s, "parse_int", "Int32", INT32_MIN, INT32_MAX);
}

plat_enum *plat_str_parse_int64(plat_str *s)
{
  return parse_integer(s, "parse_int64", "Int64", INT64_MIN, INT64_MAX);
}

static bool digits(const char **p, const char *end)
{
  const char *q = *p;
  while (*p < end && **p >= '0' && **p <= '9') (*p)++;
  return *p > q;
}

/* Syntax check (strtod alone would accept hex, whitespace, "infinit"). */
static bool float_syntax(const char *p, const char *end)
{
  if (p < end && (*p == '+' || *p == '-')) p++;
  size_t rest = (size_t)(end - p);
  if ((rest == 3 && (!strncasecmp(p, "inf", 3) || !strncasecmp(p, "nan", 3))) ||
      (rest == 8 && !strncasecmp(p, "infinity", 8)))
    return true;
  bool intpart = digits(&p, end), frac = false;
  if (p < end && *p == '.') { p++; frac = digits(&p, end); }
  if (!intpart && !frac) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    if (p < end && (*p == '+' || *p == '-')) p++;
    if (!digits(&p, end)) return false;
  }
  return p == end;
}

plat_enum *plat_str_parse_float(plat_str *s)
{
  if (s->len == 0) return plat_err_cstr("parse_float: empty string");
  if (!float_syntax(s->data, s->data + s->len)) return parse_err("parse_float", "invalid float literal", s);
  return plat_ok(plat_w_f64(strtod(s->data, NULL)));   /* data is NUL-terminated */
}

plat_enum *plat_str_parse_bool(plat_str *s)
{
  if (s->len == 4 && memcmp(s->data, "true", 4) == 0) return plat_ok(1);
  if (s->len == 5 && memcmp(s->data, "false", 5) == 0) return plat_ok(0);
  char q[64];
  return plat_err(plat_w_ptr(plat_str_fmt("parse_bool: expected \"true\" or \"false\", got %s", quoted(s, q))));
}
