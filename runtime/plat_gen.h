/* plat_gen.h -- helpers of the C that the Plat compiler generates.
 *
 * A generated program (compiler/emit.c) first defines
 *     static const char plat_file[] = "path/of/program.plat";
 * (the location panics report) and then includes this header, which
 * brings in the runtime's public headers and the small inline helpers the
 * generated code calls: integer division and remainder that panic on zero
 * and wrap MIN / -1, float-to-int conversion that saturates, unwrap,
 * expect, assert, list stores, enum construction, string interpolation,
 * scope cleanup.
 *
 * It is a real runtime file: runtime/gen_check.c includes it, so it is
 * compiled with the runtime's -Wall -Wextra -Werror (and the contract
 * check, tools/rt_contract.c, takes the address of every helper the
 * compiler names).
 */
#ifndef PLAT_GEN_H
#define PLAT_GEN_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "plat_chan.h"
#include "plat_io.h"
#include "plat_race.h"
#include "plat_rt.h"
#include "plat_value.h"

/* Integer `/` and `%`: zero panics at the .plat line, MIN / -1 wraps to
 * MIN (two's complement), MIN % -1 is 0. */
#define PLAT_DIV(T, NAME, REM)                                             \
  static inline T NAME(T a, T b, int line) {                               \
    if (b == 0) plat_panic("division by zero", plat_file, line);           \
    if (b == -1) return REM ? (T)0 : (T)(0 - (uint64_t)(int64_t)a);         \
    return REM ? (T)(a % b) : (T)(a / b);                                   \
  }
PLAT_DIV(int8_t, plat_div_i8, 0) PLAT_DIV(int8_t, plat_rem_i8, 1)
PLAT_DIV(int16_t, plat_div_i16, 0) PLAT_DIV(int16_t, plat_rem_i16, 1)
PLAT_DIV(int32_t, plat_div_i32, 0) PLAT_DIV(int32_t, plat_rem_i32, 1)
PLAT_DIV(int64_t, plat_div_i64, 0) PLAT_DIV(int64_t, plat_rem_i64, 1)
#undef PLAT_DIV

/* float -> int: truncate toward zero, saturate, NaN -> 0 */
#define PLAT_F2I(T, NAME, LO, HI)                                          \
  static inline T NAME(double x) {                                         \
    if (x != x) return 0;                                                  \
    if (x <= (double)(LO)) return LO;                                      \
    if (x >= (double)(HI)) return HI;                                      \
    return (T)x;                                                           \
  }
PLAT_F2I(int8_t, plat_f2i8, INT8_MIN, INT8_MAX) PLAT_F2I(int16_t, plat_f2i16, INT16_MIN, INT16_MAX)
PLAT_F2I(int32_t, plat_f2i32, INT32_MIN, INT32_MAX) PLAT_F2I(int64_t, plat_f2i64, INT64_MIN, INT64_MAX)
#undef PLAT_F2I

static inline plat_word plat_unwrap_opt(plat_enum *e, int line) {
  if (e->tag != 0) plat_panic("called unwrap() on None", plat_file, line);
  return e->f[0];
}

static inline plat_word plat_expect(plat_enum *e, plat_str *msg, int line) {
  if (e->tag != 0) plat_panic(msg->data, plat_file, line);
  return e->f[0];
}

static inline void plat_assert_fail(plat_str *msg, int line) {
  if (msg) plat_panicf(plat_file, line, "assertion failed: %s", msg->data);
  plat_panic("assertion failed", plat_file, line);
}

/* `xs[i] = v`: out of range panics (reading `xs[i]` is an Option). */
static inline void plat_list_store(plat_list *l, int64_t i, plat_word v, int line) {
  if (!plat_list_set(l, i, v))
    plat_panicf(plat_file, line, "list index %lld out of range (length %lld)", (long long)i, (long long)l->len);
}

static inline plat_enum *plat_enum_make(int64_t tag, int n, const plat_word *f) {
  plat_enum *e = plat_enum_new(tag, n);
  for (int i = 0; i < n; i++) e->f[i] = f[i];
  return e;
}

/* String built-ins that can exceed the largest String panic at the .plat
 * line (#line makes __LINE__ one). */
#define plat_str_concat(a, b) plat_str_concat_at((a), (b), plat_file, __LINE__)
#define plat_list_join(l, s) plat_list_join_at((l), (s), plat_file, __LINE__)
#define plat_str_replace(s, f, t) plat_str_replace_at((s), (f), (t), plat_file, __LINE__)
#define plat_str_cat(...) plat_str_cat_at(__LINE__, __VA_ARGS__)

/* An interpolation of more than two segments: one allocation. */
static inline plat_str *plat_str_cat_at(int line, int n, plat_str *const *p) {
  int64_t len = 0;   /* each <= 2^31 - 1: no overflow */
  for (int i = 0; i < n; i++) len += p[i]->len;
  char *d;
  plat_str *s = plat_str_alloc_at(len, &d, plat_file, line);
  for (int i = 0; i < n; i++) {
    memcpy(d, p[i]->data, (size_t)p[i]->len);
    d += p[i]->len;
  }
  return s;
}

/* __attribute__((cleanup)) of a `concurrent` block's scope */
static inline void plat_scope_cleanup(plat_scope *sc) { plat_scope_exit(sc); }

#endif
