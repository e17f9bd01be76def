/* string.c -- the built-in type String and its methods (LANGUAGE.md 6,
 * docs/BUILTINS.md).  `+` and comparisons are lowered by emit_expr.c. */
#include "../emit_int.h"

static const char *emit_self(const EmitCall *c) { return c->recv; }

static const BuiltinRow rows[] = {
  {"length() -> Int32", .cfn = "plat_str_length", .flags = BR_READS},
  {"byte_length() -> Int32", .cfn = "plat_str_byte_length", .flags = BR_READS},
  {"is_empty() -> Bool", .cfn = "plat_str_is_empty", .flags = BR_READS},
  {"contains(substring: String) -> Bool", .cfn = "plat_str_contains", .flags = BR_READS},
  {"starts_with(prefix: String) -> Bool", .cfn = "plat_str_starts_with", .flags = BR_READS},
  {"ends_with(suffix: String) -> Bool", .cfn = "plat_str_ends_with", .flags = BR_READS},
  {"index_of(substring: String) -> Option<Int32>", .cfn = "plat_str_index_of", .flags = BR_READS},
  {"substring(start: AnyInt, end: AnyInt) -> String", .cfn = "plat_str_substring", .flags = BR_READS},
  {"char_at(index: AnyInt) -> Option<String>", .cfn = "plat_str_char_at", .flags = BR_READS},
  {"split(separator: String) -> List<String>", .cfn = "plat_str_split", .flags = BR_READS},
  {"trim() -> String", .cfn = "plat_str_trim", .flags = BR_READS},
  {"to_upper() -> String", .cfn = "plat_str_to_upper", .flags = BR_READS},
  {"to_lower() -> String", .cfn = "plat_str_to_lower", .flags = BR_READS},
  {"replace(from: String, to: String) -> String", .cfn = "plat_str_replace", .flags = BR_READS},
  {"parse_int() -> Result<Int32, String>", .cfn = "plat_str_parse_int", .flags = BR_READS},
  {"parse_int64() -> Result<Int64, String>", .cfn = "plat_str_parse_int64", .flags = BR_READS},
  {"parse_float() -> Result<Float64, String>", .cfn = "plat_str_parse_float", .flags = BR_READS},
  {"parse_bool() -> Result<Bool, String>", .cfn = "plat_str_parse_bool", .flags = BR_READS},
  {"to_string() -> String", .emit = emit_self, .flags = BR_READS},
  {NULL},
};

const BuiltinTypeDef bt_string = {
  .name = "String", .kind = TD_PRIM, .props = TP_REF | TP_EQ | TP_HASH | TP_ORD | TP_PRINT,
  .repr = REPR_PTR, .ctype = "plat_str *", .global = &ty_string, .rows = rows, .file = __FILE__,
};
