/* channel.c -- the built-in type Channel<T> and its methods (LANGUAGE.md
 * 8.4) on top of plat_chan.h.  select is lowered by emit_chan.c.  A
 * channel's element cannot contain a Task (a task must not leave its
 * concurrent block, 8.1). */
#include "../emit_int.h"

static const char *opt_of(const char *ok, const char *val) {
  return arena_printf("(%s ? plat_some(%s) : plat_none())", ok, val);
}

/* length() and capacity() are Int32: larger capacities are refused. */
static const char *emit_new(const EmitCall *c) {
  const char *w = new_tmp();
  return arena_printf("({ int64_t %s = %s; if (%s > INT32_MAX) plat_panicf(plat_file, %d, "
                      "\"channel capacity too large: %%lld (at most 2147483647)\", (long long)%s); "
                      "plat_chan_new(%s, plat_file, %d); })",
                      w, c->args[0] ? arena_printf("(int64_t)(%s)", c->args[0]) : "64", w, c->line, w, w, c->line);
}

static const char *emit_unbounded(const EmitCall *c) { (void)c; return "plat_chan_unbounded()"; }

static const char *emit_send(const EmitCall *c) {
  return arena_printf("plat_chan_%s(%s, %s, plat_file, %d)", strcmp(c->ci->bf->name, "send") ? "try_send" : "send",
                      c->recv, to_word(c->args[0], c->T), c->line);
}

static const char *emit_close(const EmitCall *c) {
  return arena_printf("plat_chan_close(%s, plat_file, %d)", c->recv, c->line);
}

static const char *emit_recv(const EmitCall *c) {
  const char *w = new_tmp(), *k = new_tmp();
  return arena_printf("({ plat_word %s = 0; bool %s = plat_chan_%s(%s, &%s); %s; })", w, k,
                      c->ci->bf->row->tag == TAG_CHAN_RECV ? "recv" : "try_recv", c->recv, w, opt_of(k, w));
}

static const char *emit_recv_timeout(const EmitCall *c) {
  const char *w = new_tmp(), *k = new_tmp();
  return arena_printf("({ plat_word %s = 0; int %s = plat_chan_recv_timeout(%s, (int64_t)(%s), &%s); "
                      "%s == PLAT_RECV_TIMEOUT ? plat_err_cstr(\"timeout\") : "
                      "plat_ok(plat_w_ptr(%s)); })",
                      w, k, c->recv, c->args[0], w, k, opt_of(arena_printf("%s == PLAT_RECV_VALUE", k), w));
}

static const BuiltinRow rows[] = {
  {"init(capacity: AnyInt = ...) -> Channel<T>", .emit = emit_new, .uses = "plat_chan_new plat_panicf",
   .flags = BR_STATIC},
  {"unbounded() -> Channel<T>", .emit = emit_unbounded, .uses = "plat_chan_unbounded", .flags = BR_PURE | BR_STATIC},
  {"send(value: T)", .emit = emit_send, .uses = "plat_chan_send"},
  {"recv() -> Option<T>", .emit = emit_recv, .uses = "plat_chan_recv plat_some plat_none", .tag = TAG_CHAN_RECV,
   .flags = BR_WAITS},
  {"close()", .emit = emit_close, .uses = "plat_chan_close"},
  {"try_send(value: T) -> Bool", .emit = emit_send, .uses = "plat_chan_try_send"},
  {"try_recv() -> Option<T>", .emit = emit_recv, .uses = "plat_chan_try_recv plat_some plat_none",
   .tag = TAG_CHAN_TRY_RECV},
  {"recv_timeout(ms: AnyInt) -> Result<Option<T>, String>", .emit = emit_recv_timeout,
   .uses = "plat_chan_recv_timeout plat_err_cstr plat_ok plat_some plat_none", .flags = BR_WAITS},
  {"length() -> Int32", .cfn = "plat_chan_length", .flags = BR_READS},
  {"capacity() -> Int32", .cfn = "plat_chan_capacity", .flags = BR_READS},
  {"is_closed() -> Bool", .cfn = "plat_chan_is_closed", .flags = BR_READS},
  {NULL},
};

const BuiltinTypeDef bt_channel = {
  .name = "Channel", .params = "T", .kind = TD_BUILTIN, .props = TP_REF | TP_EQ, .repr = REPR_PTR,
  .ctype = "void *", .flags = BT_ARG_NO_TASK, .gdecl = &td_channel, .rows = rows, .file = __FILE__,
  .example = "let c: Channel<Int32> = Channel.init(capacity = 8);",
};
