/* task.c -- the built-in type Task<T> (LANGUAGE.md 8.1).  `spawn` is
 * checked by check_conc.c and lowered by emit_conc.c. */
#include "../emit_int.h"

static const char *emit_await(const EmitCall *c) {
  return from_word(arena_printf("plat_await(%s)", c->recv), c->T);
}

static const BuiltinRow rows[] = {
  {"await() -> T", .emit = emit_await, .uses = "plat_await", .flags = BR_WAITS},
  {NULL},
};

/* Task<Unit> is the one place Unit may be written (LANGUAGE.md 8.1). */
const BuiltinTypeDef bt_task = {
  .name = "Task", .params = "T", .kind = TD_BUILTIN, .props = TP_REF | TP_EQ, .repr = REPR_PTR,
  .ctype = "plat_task *", .flags = BT_ARG_UNIT, .gdecl = &td_task, .rows = rows, .file = __FILE__,
};
