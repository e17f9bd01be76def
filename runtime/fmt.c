/* fmt.c -- to_string of primitives (print and string interpolation).
 *
 * Floats: the shortest decimal that reads back (strtod/strtof) as the
 * same value: the value is printed once with 17 significant digits (9 for
 * Float32), which always read back; its roundings to fewer digits are
 * candidates, and a binary search over the length finds the shortest one
 * that reads back (see fmt_float for the rare case where it keeps one
 * digit more than necessary).
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

/* Digits and exponent of "%.*e" output (d.ddde[+-]xx). */
static int split_e(const char *buf, char *digits)
{
  int nd = 0;
  for (; *buf != 'e'; buf++) if (*buf != '.') digits[nd++] = *buf;
  digits[nd] = '\0';
  return atoi(buf + 1);
}

/* a correctly rounded to p significant digits, from its maxp digits in
 * `all` (exponent e0): into out, returning the exponent.  Rounding the
 * already rounded digits is exact except at a tie ("...5" then zeros),
 * where snprintf rounds the exact value instead. */
static int round_digits(double a, const char *all, int e0, int maxp, int p, char *out)
{
  memcpy(out, all, (size_t)p);
  out[p] = '\0';
  if (p == maxp || all[p] < '5') return e0;
  bool tie = all[p] == '5';
  for (int k = p + 1; tie && k < maxp; k++) tie = all[k] == '0';
  if (tie) {
    char buf[40];
    snprintf(buf, sizeof buf, "%.*e", p - 1, a);
    return split_e(buf, out);
  }
  int k = p - 1;
  while (k >= 0 && out[k] == '9') out[k--] = '0';
  if (k >= 0) { out[k]++; return e0; }
  out[0] = '1';                          /* 99.. -> 100.. */
  return e0 + 1;
}

/* Does digits * 10^(e - first) read back as a? */
static bool reads_back(const char *digits, int e, double a, bool single)
{
  char buf[40];
  snprintf(buf, sizeof buf, "%c.%se%d", digits[0], digits[1] ? digits + 1 : "0", e);
  return single ? strtof(buf, NULL) == (float)a : strtod(buf, NULL) == a;
}

/* Shortest round-trip digits of |x|, then layout.  The value is printed
 * once with maxp significant digits; shorter candidates are roundings of
 * those digits, and the shortest that reads back is found by binary
 * search over the length (reading back is monotonic in the length except
 * in rare lopsided cases at powers of two, where the result may keep one
 * digit more than needed; it always reads back, since maxp digits do). */
static plat_str *fmt_float(double x, bool single)
{
  if (isnan(x)) return plat_str_cstr("NaN");
  if (isinf(x)) return plat_str_cstr(x < 0 ? "-inf" : "inf");
  if (x == 0) return plat_str_cstr(signbit(x) ? "-0.0" : "0.0");
  bool neg = x < 0;
  double a = fabs(x);
  int maxp = single ? 9 : 17;
  char buf[40], all[24], digits[24], best[24];
  snprintf(buf, sizeof buf, "%.*e", maxp - 1, a);
  int e0 = split_e(buf, all), best_e = e0;
  memcpy(best, all, (size_t)maxp);
  best[maxp] = '\0';
  int lo = 1, hi = maxp;                                /* hi always reads back */
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    int e = round_digits(a, all, e0, maxp, mid, digits);
    if (reads_back(digits, e, a, single)) {
      hi = mid;
      memcpy(best, digits, (size_t)mid + 1);
      best_e = e;
    } else {
      lo = mid + 1;
    }
  }
  int nd = (int)strlen(best);
  while (nd > 1 && best[nd - 1] == '0') nd--;
  best[nd] = '\0';
  char out[64];
  int n = layout(out, neg, best, best_e);
  return plat_str_new(out, n);
}

plat_str *plat_fmt_f64(double x) { return fmt_float(x, false); }
plat_str *plat_fmt_f32(float x) { return fmt_float((double)x, true); }
