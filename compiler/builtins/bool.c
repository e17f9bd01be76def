/* bool.c -- the built-in type Bool (LANGUAGE.md 2). */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"to_string() -> String", .emit = emit_prim_to_string, .flags = BR_PURE},
  {NULL},
};

const BuiltinTypeDef bt_bool = {
  .name = "Bool", .kind = TD_PRIM, .props = TP_EQ | TP_HASH | TP_PRINT,
  .repr = REPR_BOOL, .ctype = "bool", .fmt = "plat_fmt_bool",
  .global = &ty_bool, .rows = rows, .file = __FILE__,
};
