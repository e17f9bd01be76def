/* result.c -- the built-in enum Result<T, E> and its methods
 * (LANGUAGE.md 4).  Values are built by plat_ok/plat_err (emit_call.c). */
#include "../emit_int.h"

const char *emit_expect(const EmitCall *c);      /* option.c */
const char *emit_unwrap_or(const EmitCall *c);   /* option.c */

static const char *emit_is_ok(const EmitCall *c) { return arena_printf("((%s)->tag == 0)", c->recv); }
static const char *emit_is_err(const EmitCall *c) { return arena_printf("((%s)->tag != 0)", c->recv); }

/* The panic message shows the error when it is printable. */
static const char *emit_unwrap(const EmitCall *c) {
  const char *t = new_tmp();
  const char *err = from_word(arena_printf("%s->f[0]", t), c->E);
  const char *why = type_has(c->E, TP_PRINT) && c->E != ty_error
      ? arena_printf("plat_panicf(plat_file, %d, \"called unwrap() on Err: %%s\", %s->data)", c->line,
                     to_string_code(err, c->E))
      : arena_printf("plat_panic(\"called unwrap() on an Err value\", plat_file, %d)", c->line);
  return arena_printf("({ plat_enum *%s = %s; if (%s->tag != 0) %s; %s; })", t, c->recv, t, why,
                      from_word(arena_printf("%s->f[0]", t), c->T));
}

static const BuiltinRow rows[] = {
  {"is_ok() -> Bool", .emit = emit_is_ok, .flags = BR_PURE},
  {"is_err() -> Bool", .emit = emit_is_err, .flags = BR_PURE},
  {"unwrap() -> T", .emit = emit_unwrap, .uses = "plat_panicf plat_panic"},
  {"unwrap_or(default: T) -> T", .emit = emit_unwrap_or, .flags = BR_PURE},
  {"expect(message: String) -> T", .emit = emit_expect},
  {NULL},
};

const BuiltinTypeDef bt_result = {
  .name = "Result", .params = "T, E", .kind = TD_ENUM, .variants = "Ok(value: T), Err(error: E)",
  .props = TP_REF, .repr = REPR_PTR, .ctype = "plat_enum *", .gdecl = &td_result, .rows = rows,
  .file = __FILE__,
};
