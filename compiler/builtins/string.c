/* string.c -- the built-in type String and its methods (LANGUAGE.md 6,
 * docs/BUILTINS.md).  `+` and comparisons are lowered by emit_expr.c. */
#include "../emit_int.h"

static const char *emit_self(const EmitCall *c) { return c->recv; }

static const BuiltinRow rows[] = {
  {"length() -> Int32", .cfn = "plat_str_length"},
  {"byte_length() -> Int32", .cfn = "plat_str_byte_length"},
  {"is_empty() -> Bool", .cfn = "plat_str_is_empty"},
  {"contains(substring: String) -> Bool", .cfn = "plat_str_contains"},
  {"starts_with(prefix: String) -> Bool", .cfn = "plat_str_starts_with"},
  {"ends_with(suffix: String) -> Bool", .cfn = "plat_str_ends_with"},
  {"index_of(substring: String) -> Option<Int32>", .cfn = "plat_str_index_of"},
  {"substring(start: AnyInt, end: AnyInt) -> String", .cfn = "plat_str_substring"},
  {"char_at(index: AnyInt) -> Option<String>", .cfn = "plat_str_char_at"},
  {"split(separator: String) -> List<String>", .cfn = "plat_str_split"},
  {"trim() -> String", .cfn = "plat_str_trim"},
  {"to_upper() -> String", .cfn = "plat_str_to_upper"},
  {"to_lower() -> String", .cfn = "plat_str_to_lower"},
  {"replace(from: String, to: String) -> String", .cfn = "plat_str_replace"},
  {"parse_int() -> Result<Int32, String>", .cfn = "plat_str_parse_int"},
  {"parse_int64() -> Result<Int64, String>", .cfn = "plat_str_parse_int64"},
  {"parse_float() -> Result<Float64, String>", .cfn = "plat_str_parse_float"},
  {"parse_bool() -> Result<Bool, String>", .cfn = "plat_str_parse_bool"},
  {"to_string() -> String", .emit = emit_self},
  {NULL},
};

const BuiltinTypeDef bt_string = {
  .name = "String", .kind = TD_PRIM, .props = TP_REF | TP_EQ | TP_HASH | TP_ORD | TP_PRINT,
  .repr = REPR_PTR, .ctype = "plat_str *", .global = &ty_string, .rows = rows, .file = __FILE__,
};
