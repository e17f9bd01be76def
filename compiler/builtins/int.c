/* int.c -- the built-in integer types Int8, Int16, Int32, Int64 (`Int`
 * is Int64), LANGUAGE.md 2.  Arithmetic is lowered by emit_expr.c. */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"to_string() -> String", .emit = emit_prim_to_string, .flags = BR_PURE},
  {NULL},
};

#define INT_TYPE(N, BITS, CT, ...)                                                   \
  const BuiltinTypeDef bt_int##BITS = {                                              \
    .name = N, .kind = TD_PRIM, .props = TP_INT | TP_EQ | TP_HASH | TP_ORD | TP_PRINT, \
    .repr = REPR_INT, .bits = BITS, .ctype = CT, .fmt = "plat_fmt_i64",             \
    .global = &ty_i##BITS, .rows = rows, .file = __FILE__, __VA_ARGS__ }
INT_TYPE("Int8", 8, "int8_t");
INT_TYPE("Int16", 16, "int16_t");
INT_TYPE("Int32", 32, "int32_t");
INT_TYPE("Int64", 64, "int64_t", .aliases = "Int");
