/* list.c -- the built-in type List<T> and its methods (LANGUAGE.md 6,
 * docs/BUILTINS.md).  Literals and `xs[i]` are lowered by emit_expr.c. */
#include "../emit_int.h"

/* How plat_list_contains/index_of compare words: 1 Float64, 2 Float32,
 * 3 String contents, 0 the word itself (ints, Bool, identity). */
static int eq_kind(Type *t) {
  return t == ty_f64 ? 1 : t == ty_f32 ? 2 : t == ty_string ? 3 : 0;
}

static const char *emit_search(const EmitCall *c) {
  bool contains = !strcmp(c->ci->bf->name, "contains");
  return arena_printf("plat_list_%s(%s, %s, %d)", contains ? "contains" : "index_of", c->recv,
                      to_word(c->args[0], c->T), eq_kind(c->T));
}

static const BuiltinRow rows[] = {
  {"length() -> Int32", .cfn = "plat_list_length", .flags = BR_READS},
  {"is_empty() -> Bool", .cfn = "plat_list_is_empty", .flags = BR_READS},
  {"push(value: T)", .cfn = "plat_list_push", .flags = BR_STORES_ELEM},
  {"pop() -> Option<T>", .cfn = "plat_list_pop"},
  {"get(index: AnyInt) -> Option<T>", .cfn = "plat_list_get", .flags = BR_READS},
  {"set(index: AnyInt, value: T) -> Bool", .cfn = "plat_list_set", .flags = BR_STORES_ELEM},
  {"insert_at(index: AnyInt, value: T) -> Bool", .cfn = "plat_list_insert_at", .flags = BR_STORES_ELEM},
  {"remove_at(index: AnyInt) -> Option<T>", .cfn = "plat_list_remove_at"},
  {"contains(value: T) -> Bool", .emit = emit_search, .uses = "plat_list_contains",
   .flags = BR_READS | BR_ELEM_EQ},
  {"index_of(value: T) -> Option<Int32>", .emit = emit_search, .uses = "plat_list_index_of",
   .flags = BR_READS | BR_ELEM_EQ},
  {"slice(start: AnyInt, end: AnyInt) -> List<T>", .cfn = "plat_list_slice", .flags = BR_READS},
  {"clear()", .cfn = "plat_list_clear"},
  {"join(separator: String) -> String", .cfn = "plat_list_join", .flags = BR_READS | BR_ELEM_STRING},
  {NULL},
};

const BuiltinTypeDef bt_list = {
  .name = "List", .params = "T", .kind = TD_BUILTIN, .props = TP_REF, .repr = REPR_PTR,
  .ctype = "plat_list *", .gdecl = &td_list, .rows = rows, .file = __FILE__,
};
