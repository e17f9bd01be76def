/* typedesc.c -- the runtime's type descriptors (plat_dict.h): Bool, the
 * integer widths, the floats (values only), String, and "any Dict" /
 * "any Set" as values.  The compiler emits descriptors of the same shape
 * for enums, Option/Result, classes and the other reference types.
 *
 * A word carries a value as plat_value.h says (small integers
 * sign-extended, Bool 0/1, Float32 as its bits in the low half).
 * plat_type_norm cuts a word to the descriptor's size and extends it the
 * way the table reads it back, so a word with stray high bits still finds
 * its entry.  The descriptors are constant data; nothing here has state.
 */

#include "plat_dict.h"

plat_word plat_type_norm(const plat_type *t, plat_word v)
{
  switch (t->size) {
  case 1: return t->flags & PLAT_TF_SIGNED ? (plat_word)(int64_t)(int8_t)v : (uint8_t)v;
  case 2: return t->flags & PLAT_TF_SIGNED ? (plat_word)(int64_t)(int16_t)v : (uint16_t)v;
  case 4: return t->flags & PLAT_TF_SIGNED ? (plat_word)(int64_t)(int32_t)v : (uint32_t)v;
  default: return v;
  }
}

bool plat_type_eq(const plat_type *t, plat_word a, plat_word b)
{
  switch (t->kind) {
  case PLAT_TK_INT: return plat_type_norm(t, a) == plat_type_norm(t, b);
  case PLAT_TK_STR: return plat_str_eq(plat_ptr_w(a), plat_ptr_w(b));
  case PLAT_TK_FLOAT: return t->size == 4 ? plat_f32_w(a) == plat_f32_w(b) : plat_f64_w(a) == plat_f64_w(b);
  default: return t->eq(a, b);
  }
}

static bool eq_f32(plat_word a, plat_word b) { return plat_f32_w(a) == plat_f32_w(b); }
static bool eq_f64(plat_word a, plat_word b) { return plat_f64_w(a) == plat_f64_w(b); }
static uint64_t hash_str(plat_word v) { return plat_hash_str(plat_ptr_w(v)); }
static bool eq_str(plat_word a, plat_word b) { return plat_str_eq(plat_ptr_w(a), plat_ptr_w(b)); }

static void write_bool(plat_sb *sb, plat_word v)
{
  if (v & 0xFF) plat_sb_add(sb, "true", 4);
  else plat_sb_add(sb, "false", 5);
}
static void write_i8(plat_sb *sb, plat_word v) { plat_sb_add_i64(sb, (int8_t)v); }
static void write_i16(plat_sb *sb, plat_word v) { plat_sb_add_i64(sb, (int16_t)v); }
static void write_i32(plat_sb *sb, plat_word v) { plat_sb_add_i64(sb, (int32_t)v); }
static void write_i64(plat_sb *sb, plat_word v) { plat_sb_add_i64(sb, (int64_t)v); }
static void write_f32(plat_sb *sb, plat_word v) { plat_sb_add_str(sb, plat_fmt_f32(plat_f32_w(v))); }
static void write_f64(plat_sb *sb, plat_word v) { plat_sb_add_str(sb, plat_fmt_f64(plat_f64_w(v))); }
static void write_str(plat_sb *sb, plat_word v) { plat_sb_add_quoted(sb, plat_ptr_w(v)); }

/* Hash and equality of the value held in the type's width, so a word
 * with stray high bits agrees with the table (which normalises too). */
#define INT_TYPE(id, nm, ctype, sz, fl, wr)                                       \
  static uint64_t hash_##id(plat_word v) { return plat_hash_i64((int64_t)(ctype)v); } \
  static bool eq_##id(plat_word a, plat_word b) { return (ctype)a == (ctype)b; }       \
  const plat_type id = { .name = nm, .size = sz, .kind = PLAT_TK_INT, .flags = fl,      \
                         .hash = hash_##id, .eq = eq_##id, .write = wr }
INT_TYPE(plat_type_bool, "Bool", uint8_t, 1, 0, write_bool);
INT_TYPE(plat_type_i8, "Int8", int8_t, 1, PLAT_TF_SIGNED, write_i8);
INT_TYPE(plat_type_i16, "Int16", int16_t, 2, PLAT_TF_SIGNED, write_i16);
INT_TYPE(plat_type_i32, "Int32", int32_t, 4, PLAT_TF_SIGNED, write_i32);
INT_TYPE(plat_type_i64, "Int64", int64_t, 8, PLAT_TF_SIGNED, write_i64);

const plat_type plat_type_f32 = { .name = "Float32", .size = 4, .kind = PLAT_TK_FLOAT,
                                  .eq = eq_f32, .write = write_f32 };
const plat_type plat_type_f64 = { .name = "Float64", .size = 8, .kind = PLAT_TK_FLOAT,
                                  .eq = eq_f64, .write = write_f64 };
const plat_type plat_type_str = { .name = "String", .size = 8, .kind = PLAT_TK_STR,
                                  .flags = PLAT_TF_POINTER, .hash = hash_str, .eq = eq_str,
                                  .write = write_str };

static bool eq_dict(plat_word a, plat_word b) { return plat_dict_eq(plat_ptr_w(a), plat_ptr_w(b)); }
static void write_dict(plat_sb *sb, plat_word v) { plat_dict_write(sb, plat_ptr_w(v)); }
static bool eq_set(plat_word a, plat_word b) { return plat_set_eq(plat_ptr_w(a), plat_ptr_w(b)); }
static void write_set(plat_sb *sb, plat_word v) { plat_set_write(sb, plat_ptr_w(v)); }

const plat_type plat_type_dict = { .name = "Dict", .size = 8, .kind = PLAT_TK_OTHER,
                                   .flags = PLAT_TF_POINTER, .eq = eq_dict, .write = write_dict };
const plat_type plat_type_set = { .name = "Set", .size = 8, .kind = PLAT_TK_OTHER,
                                  .flags = PLAT_TF_POINTER, .eq = eq_set, .write = write_set };
