/* test_fmt.c -- to_string of primitives and the parse_* methods. */
#include <math.h>
#include <float.h>
#include "vtest.h"

static void ints_bools(void)
{
  CHECK_STR(plat_fmt_i64(0), "0");
  CHECK_STR(plat_fmt_i64(-7), "-7");
  CHECK_STR(plat_fmt_i64(1234567890123), "1234567890123");
  CHECK_STR(plat_fmt_i64(INT64_MAX), "9223372036854775807");
  CHECK_STR(plat_fmt_i64(INT64_MIN), "-9223372036854775808");
  CHECK_STR(plat_fmt_bool(true), "true");
  CHECK_STR(plat_fmt_bool(false), "false");
}

static void float_table(void)
{
  static const struct { double x; const char *s; } t[] = {
    { 3.5, "3.5" }, { 0.1, "0.1" }, { 100.0, "100.0" }, { 1.0, "1.0" }, { -2.0, "-2.0" },
    { 0.0, "0.0" }, { 0.30000000000000004, "0.30000000000000004" }, { 1.0 / 3, "0.3333333333333333" },
    { 123456.789, "123456.789" }, { 0.0001, "0.0001" }, { 0.00012, "0.00012" }, { 0.00001, "1.0e-5" },
    { 1.5e-7, "1.5e-7" }, { 1e15, "1000000000000000.0" }, { 1234567890123456.0, "1234567890123456.0" },
    { 1e16, "1.0e16" }, { 1.25e16, "1.25e16" }, { 1e21, "1.0e21" }, { -2.5e100, "-2.5e100" },
    { 5e-324, "5.0e-324" }, { DBL_MAX, "1.7976931348623157e308" }, { DBL_MIN, "2.2250738585072014e-308" },
    { 9007199254740993.0, "9007199254740992.0" }, { 2.0 / 3, "0.6666666666666666" }, { 1e-4, "0.0001" },
    { 12.0, "12.0" }, { 1e100, "1.0e100" },
  };
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
    plat_str *s = plat_fmt_f64(t[i].x);
    vt_check(strcmp(s->data, t[i].s) == 0, t[i].s, __FILE__, __LINE__);
    if (strcmp(s->data, t[i].s)) fprintf(stderr, "  got %s\n", s->data);
  }
  CHECK_STR(plat_fmt_f64(-0.0), "-0.0");
  CHECK_STR(plat_fmt_f64(NAN), "NaN");
  CHECK_STR(plat_fmt_f64(INFINITY), "inf");
  CHECK_STR(plat_fmt_f64(-INFINITY), "-inf");
  CHECK_STR(plat_fmt_f32(0.1f), "0.1");
  CHECK_STR(plat_fmt_f32(3.5f), "3.5");
  CHECK_STR(plat_fmt_f32(16777216.0f), "16777216.0");
  CHECK_STR(plat_fmt_f32(1.0f / 3), "0.33333334");
  CHECK_STR(plat_fmt_f32(FLT_MAX), "3.4028235e38");
  CHECK_STR(plat_fmt_f32(1e-45f), "1.0e-45");
  CHECK_STR(plat_fmt_f32(-INFINITY), "-inf");
  CHECK_STR(plat_fmt_f32(100.0f), "100.0");
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

/* Random bit patterns: the text reads back to the same bits and is never
 * longer than %.17g needs; parse_float reads it back too. */
static void float_round_trip(void)
{
  int bad = 0;
  for (int i = 0; i < 100000; i++) {
    uint64_t bits = next();
    if (i % 4 == 0) bits &= 0x3FFFFFFFFFFFFFFFu;             /* more moderate magnitudes */
    double x = plat_f64_w(bits);
    if (isnan(x)) continue;
    plat_str *s = plat_fmt_f64(x);
    double y = strtod(s->data, NULL);
    double z = plat_f64_w(OK(plat_str_parse_float(s)));
    if (plat_w_f64(y) != bits || plat_w_f64(z) != bits) {
      if (bad++ < 5) fprintf(stderr, "round trip: %016llx -> %s\n", (unsigned long long)bits, s->data);
    }
    /* integral values in positional range end in ".0" */
    if (x == floor(x) && fabs(x) < 1e15 && !strstr(s->data, ".0")) bad++;
  }
  CHECK(bad == 0);
  for (int i = 0; i < 100000; i++) {
    uint32_t b = (uint32_t)next();
    float x;
    memcpy(&x, &b, 4);
    if (isnan(x)) continue;
    plat_str *s = plat_fmt_f32(x);
    float y = strtof(s->data, NULL);
    uint32_t yb;
    memcpy(&yb, &y, 4);
    if (yb != b && bad++ < 5) fprintf(stderr, "f32 round trip: %08x -> %s\n", b, s->data);
  }
  CHECK(bad == 0);
  /* shortest: 17 significant digits are never exceeded, and short
   * decimals stay short */
  for (int i = 1; i < 1000; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%03d", i, i * 7 % 1000);
    double x = strtod(buf, NULL);
    plat_str *s = plat_fmt_f64(x);
    if (s->len > (int64_t)strlen(buf) && bad++ < 5) fprintf(stderr, "not shortest: %s -> %s\n", buf, s->data);
  }
  CHECK(bad == 0);
}

/* Significant digits of a formatted float. */
static int sig_digits(const char *s)
{
  char d[64];
  int nd = 0, st = 0;
  for (; *s && *s != 'e'; s++) if (*s >= '0' && *s <= '9') d[nd++] = *s;
  while (st < nd && d[st] == '0') st++;
  while (nd > st && d[nd - 1] == '0') nd--;
  return nd - st;
}

/* Shortest by brute force: correctly rounded to p digits, p = 1, 2, ... */
static int brute_shortest(double a, bool single)
{
  char b[40];
  for (int p = 1; p < 17; p++) {
    snprintf(b, sizeof b, "%.*e", p - 1, a);
    if (single ? strtof(b, NULL) == (float)a : strtod(b, NULL) == a) return p;
  }
  return 17;
}

static void float_shortest(void)
{
  int bad = 0;
  double x = 0.1;
  for (int i = 0; i < 40000; i++) {
    x = i % 2 ? x * 1.0000001 + 0.37 : plat_f64_w(next() & 0x7FEFFFFFFFFFFFFFu);
    if (x == 0 || isnan(x)) continue;
    plat_str *s = plat_fmt_f64(x);
    if (sig_digits(s->data) != brute_shortest(fabs(x), false) && bad++ < 5)
      fprintf(stderr, "not shortest: %s (%d digits suffice)\n", s->data, brute_shortest(fabs(x), false));
    float f = (float)x;
    if (isinf(f) || f == 0) continue;
    s = plat_fmt_f32(f);
    if (sig_digits(s->data) != brute_shortest(fabs((double)f), true) && bad++ < 5)
      fprintf(stderr, "f32 not shortest: %s\n", s->data);
  }
  CHECK(bad == 0);
}

static void parse_ints(void)
{
  CHECK((int64_t)OK(plat_str_parse_int(S("42"))) == 42);
  CHECK((int64_t)OK(plat_str_parse_int(S("-17"))) == -17);
  CHECK((int64_t)OK(plat_str_parse_int(S("+5"))) == 5);
  CHECK((int64_t)OK(plat_str_parse_int(S("007"))) == 7);
  CHECK((int64_t)OK(plat_str_parse_int(S("2147483647"))) == INT32_MAX);
  CHECK((int64_t)OK(plat_str_parse_int(S("-2147483648"))) == INT32_MIN);
  CHECK_STR(ERR_STR(plat_str_parse_int(S("12x"))), "parse_int: invalid digit in \"12x\"");
  CHECK_STR(ERR_STR(plat_str_parse_int(S(""))), "parse_int: empty string");
  CHECK_STR(ERR_STR(plat_str_parse_int(S("2147483648"))), "parse_int: \"2147483648\" is out of range for Int32");
  CHECK_ERR_HAS(plat_str_parse_int(S("-2147483649")), "out of range");
  CHECK_ERR_HAS(plat_str_parse_int(S("99999999999999999999999")), "out of range");
  CHECK_ERR_HAS(plat_str_parse_int(S(" 1")), "invalid digit");
  CHECK_ERR_HAS(plat_str_parse_int(S("1 ")), "invalid digit");
  CHECK_ERR_HAS(plat_str_parse_int(S("1_000")), "invalid digit");
  CHECK_ERR_HAS(plat_str_parse_int(S("0x10")), "invalid digit");
  CHECK_ERR_HAS(plat_str_parse_int(S("-")), "no digits");
  CHECK_ERR_HAS(plat_str_parse_int(S("+")), "no digits");
  CHECK_ERR_HAS(plat_str_parse_int(S("--1")), "invalid digit");
  CHECK_ERR_HAS(plat_str_parse_int(S("1\0" "2")), "\"1?2\"");
  CHECK_ERR_HAS(plat_str_parse_int(S("123456789012345678901234567890123456789012345")), "...\" is out of range");
  CHECK((int64_t)OK(plat_str_parse_int64(S("9223372036854775807"))) == INT64_MAX);
  CHECK((int64_t)OK(plat_str_parse_int64(S("-9223372036854775808"))) == INT64_MIN);
  CHECK((int64_t)OK(plat_str_parse_int64(S("5000000000"))) == 5000000000LL);
  CHECK_STR(ERR_STR(plat_str_parse_int64(S("9223372036854775808"))),
            "parse_int64: \"9223372036854775808\" is out of range for Int64");
  CHECK_ERR_HAS(plat_str_parse_int64(S("-9223372036854775809")), "out of range for Int64");
  CHECK_STR(ERR_STR(plat_str_parse_int64(S("١٢"))), "parse_int64: invalid digit in \"١٢\"");
}

static void parse_floats_bools(void)
{
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("3.5")))) == 3.5);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("-0.1")))) == -0.1);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("+2")))) == 2.0);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("1.")))) == 1.0);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S(".5")))) == 0.5);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("2.5e-3")))) == 2.5e-3);
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("1E+21")))) == 1e21);
  CHECK(isinf(plat_f64_w(OK(plat_str_parse_float(S("1e400"))))));
  CHECK(plat_f64_w(OK(plat_str_parse_float(S("1e-400")))) == 0.0);
  CHECK(isinf(plat_f64_w(OK(plat_str_parse_float(S("-inf"))))));
  CHECK(isinf(plat_f64_w(OK(plat_str_parse_float(S("Infinity"))))));
  CHECK(isnan(plat_f64_w(OK(plat_str_parse_float(S("NaN"))))));
  CHECK_STR(ERR_STR(plat_str_parse_float(S(""))), "parse_float: empty string");
  CHECK_STR(ERR_STR(plat_str_parse_float(S("1.5x"))), "parse_float: invalid float literal in \"1.5x\"");
  const char *badf[] = { ".", "e5", "1e", "1e+", " 1.0", "1.0 ", "0x1p3", "infinit", "nan(1)", "1..2", "--1", "1_0.0" };
  for (size_t i = 0; i < sizeof badf / sizeof badf[0]; i++) {
    plat_enum *r = plat_str_parse_float(plat_str_cstr(badf[i]));
    vt_check(r->tag == PLAT_ERR, badf[i], __FILE__, __LINE__);
  }
  CHECK(OK(plat_str_parse_bool(S("true"))) == 1);
  CHECK(OK(plat_str_parse_bool(S("false"))) == 0);
  CHECK_STR(ERR_STR(plat_str_parse_bool(S("True"))), "parse_bool: expected \"true\" or \"false\", got \"True\"");
  CHECK_ERR_HAS(plat_str_parse_bool(S("")), "got \"\"");
  CHECK_ERR_HAS(plat_str_parse_bool(S("1")), "parse_bool");
}

static void run(void)
{
  ints_bools();
  float_table();
  float_round_trip();
  float_shortest();
  parse_ints();
  parse_floats_bools();
}
VTEST_MAIN
