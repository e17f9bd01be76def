/* option.c -- the built-in enum Option<T> and its methods (LANGUAGE.md 4).
 * Values are built by plat_some/plat_none (emit_call.c, variants). */
#include "../emit_int.h"

static const char *emit_is_some(const EmitCall *c) { return arena_printf("((%s)->tag == 0)", c->recv); }
static const char *emit_is_none(const EmitCall *c) { return arena_printf("((%s)->tag != 0)", c->recv); }

/* (`ch.recv().unwrap()` is lowered without an Option: emit_call.c,
 * direct_unwrap, keys on this row's tag.) */
static const char *emit_unwrap(const EmitCall *c) {
  return from_word(arena_printf("plat_unwrap_opt(%s, %d)", c->recv, c->line), c->T);
}

/* Shared with result.c. */
const char *emit_expect(const EmitCall *c) {
  return from_word(arena_printf("plat_expect(%s, %s, %d)", c->recv, c->args[0], c->line), c->T);
}

const char *emit_unwrap_or(const EmitCall *c) {
  const char *t = new_tmp(), *d = new_tmp();
  return arena_printf("({ plat_enum *%s = %s; %s %s = %s; %s->tag == 0 ? %s : %s; })", t, c->recv, ctype(c->T), d,
                      c->args[0], t, from_word(arena_printf("%s->f[0]", t), c->T), d);
}

static const BuiltinRow rows[] = {
  {"is_some() -> Bool", .emit = emit_is_some, .flags = BR_PURE},
  {"is_none() -> Bool", .emit = emit_is_none, .flags = BR_PURE},
  {"unwrap() -> T", .emit = emit_unwrap, .tag = TAG_OPT_UNWRAP},
  {"unwrap_or(default: T) -> T", .emit = emit_unwrap_or, .flags = BR_PURE},
  {"expect(message: String) -> T", .emit = emit_expect},
  {NULL},
};

const BuiltinTypeDef bt_option = {
  .name = "Option", .params = "T", .kind = TD_ENUM, .variants = "Some(value: T), None",
  .props = TP_REF, .repr = REPR_PTR, .ctype = "plat_enum *", .gdecl = &td_option, .rows = rows,
  .file = __FILE__,
};
