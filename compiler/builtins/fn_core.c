/* fn_core.c -- the core built-in functions (LANGUAGE.md 6 and 8.3):
 * printing, assertions, panics, time, environment, sleeping. */
#include "../emit_int.h"

static const char *emit_print(const EmitCall *c) {
  return arena_printf("plat_print(%s)", to_string_code(c->args[0], c->ci->ptypes[0]));
}

static const char *emit_assert(const EmitCall *c) {
  return arena_printf("((%s) ? (void)0 : plat_assert_fail(%s, %d))", c->args[0], c->args[1] ? c->args[1] : "NULL",
                      c->line);
}

static const char *emit_panic(const EmitCall *c) {
  return arena_printf("plat_panic((%s)->data, plat_file, %d)", c->args[0], c->line);
}

static const BuiltinRow rows[] = {
  {"print(value: Printable)", .emit = emit_print, .uses = "plat_print"},
  {"assert(condition: Bool, message: String = ...)", .emit = emit_assert, .flags = BR_LAZY_ARGS},
  {"panic(message: String) -> Never", .emit = emit_panic, .uses = "plat_panic"},
  {"exit(code: Int32) -> Never", .cfn = "plat_exit"},
  {"now_ms() -> Int64", .cfn = "plat_now_ms"},
  {"time_ms() -> Int64", .cfn = "plat_time_ms"},
  {"env_get(name: String) -> Option<String>", .cfn = "plat_env_get", .flags = BR_READS},
  {"args() -> List<String>", .cfn = "plat_args", .flags = BR_READS},
  {"sleep(ms: AnyInt)", .cfn = "plat_sleep_ms", .flags = BR_WAITS},
  {"yield_now()", .cfn = "plat_yield", .flags = BR_WAITS},
  {NULL},
};

const BuiltinTypeDef bt_fn_core = {.rows = rows, .file = __FILE__};
