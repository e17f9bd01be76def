/* fmt.c -- to_string of primitives (print and string interpolation).
 *
 * Floats: the shortest decimal that reads back (strtod/strtof) as the
 * same value.  For p = 1, 2, ... 17 (9 for Float32) the value is printed
 * correctly rounded to p significant digits ("%.*e"); the first p that
 * round-trips gives the digits.  (At exact powers of two, where the
 * rounding interval is lopsided, a p-digit neighbour of the rounded value
 * could round-trip when the rounded value does not; we then print one
 * digit more.  The result always round-trips.)
 *
 * Layout of the digits d1 d2 ... dp with decimal exponent e (value =
 * d1.d2...dp * 10^e):
 *   -4 <= e < 16     positional, with ".0" when there is no fraction:
 *                    3.5  0.1  100.0  0.0001  1234567890123456.0
 *   otherwise        scientific, mantissa always with a fraction:
 *                    1.0e16  1.5e-7  -2.5e100  5.0e-324
 *   specials         NaN  inf  -inf  (and -0.0 for negative zero)
 * Every form is accepted back by parse_float and is a valid Plat float
 * literal (except NaN/inf).  No state; thread-safe.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "plat_value.h"

plat_str *plat_fmt_bool(bool x) { return x ? plat_str_new("true", 4) : plat_str_new("false", 5); }

plat_str *plat_fmt_i64(int64_t x)
{
  char buf[24], *p = buf + sizeof buf;
  uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  do { *--p = (char)('0' + u % 10); u /= 10; } while (u);
  if (x < 0) *--p = '-';
  return plat_str_new(p, buf + sizeof buf - p);
}

/* Lay out `digits` (no dot, no trailing zeros, at least one digit) with
 * decimal exponent e into out; returns the length. */
static int layout(char *out, bool neg, const char *digits, int e)
{
  int nd = (int)strlen(digits), n = 0;
  if (neg) out[n++] = '-';
  if (e >= -4 && e < 16) {
    if (e < 0) {
      out[n++] = '0'; out[n++] = '.';
      for (int k = -1; k > e; k--) out[n++] = '0';
      memcpy(out + n, digits, (size_t)nd); n += nd;
    } else {
      for (int k = 0; k <= e; k++) out[n++] = k < nd ? digits[k] : '0';
      out[n++] = '.';
      if (nd > e + 1) { memcpy(out + n, digits + e + 1, (size_t)(nd - e - 1)); n += nd - e - 1; }
      else out[n++] = '0';
    }
  } else {
    out[n++] = digits[0];
    out[n++] = '.';
    if (nd > 1) { memcpy(out + n, digits + 1, (size_t)(nd - 1)); n += nd - 1; }
    else out[n++] = '0';
    n += sprintf(out + n, "e%d", e);
  }
  out[n] = '\0';
  return n;
}

/* Shortest round-trip digits of |x| (finite, nonzero) -> layout. */
static plat_str *fmt_float(double x, bool single)
{
  if (isnan(x)) return plat_str_cstr("NaN");
  if (isinf(x)) return plat_str_cstr(x < 0 ? "-inf" : "inf");
  if (x == 0) return plat_str_cstr(signbit(x) ? "-0.0" : "0.0");
  bool neg = x < 0;
  double a = fabs(x);
  char buf[40];
  int maxp = single ? 9 : 17;
  for (int p = 1; p <= maxp; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, a);
    bool same = single ? strtof(buf, NULL) == (float)a : strtod(buf, NULL) == a;
    if (same || p == maxp) break;
  }
  /* buf is "d.ddde[+-]xx" or "de[+-]xx": collect digits, exponent */
  char digits[24];
  int nd = 0;
  char *p = buf;
  for (; *p != 'e'; p++) if (*p != '.') digits[nd++] = *p;
  while (nd > 1 && digits[nd - 1] == '0') nd--;
  digits[nd] = '\0';
  int e = atoi(p + 1);
  char out[64];
  int n = layout(out, neg, digits, e);
  return plat_str_new(out, n);
}

plat_str *plat_fmt_f64(double x) { return fmt_float(x, false); }
plat_str *plat_fmt_f32(float x) { return fmt_float((double)x, true); }
