/* float.c -- the built-in types Float32 and Float64 (`Float` is Float64),
 * LANGUAGE.md 2.  Arithmetic is lowered by emit_expr.c. */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"to_string() -> String", .emit = emit_prim_to_string, .flags = BR_PURE},
  {NULL},
};

const BuiltinTypeDef bt_float32 = {
  .name = "Float32", .kind = TD_PRIM, .props = TP_FLOAT | TP_EQ | TP_ORD | TP_PRINT,
  .repr = REPR_F32, .bits = 32, .ctype = "float", .fmt = "plat_fmt_f32",
  .global = &ty_f32, .rows = rows, .file = __FILE__,
};
const BuiltinTypeDef bt_float64 = {
  .name = "Float64", .kind = TD_PRIM, .props = TP_FLOAT | TP_EQ | TP_ORD | TP_PRINT,
  .repr = REPR_F64, .bits = 64, .ctype = "double", .fmt = "plat_fmt_f64", .aliases = "Float",
  .global = &ty_f64, .rows = rows, .file = __FILE__,
};
