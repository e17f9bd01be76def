/* emit_conc.c -- lowering of concurrency (LANGUAGE.md 8.1-8.2).
 *
 * `concurrent { ... }` becomes a C block holding a plat_scope declared
 * with __attribute__((cleanup)): plat_scope_exit runs on every way out of
 * the block that C knows about (end, return, break, continue) after the
 * block's value has been computed.  Unwinding by panic or cancellation
 * does not run C cleanups; the runtime handles those through the cleanup
 * chain the scope is linked into.
 *
 * `spawn { body }` lifts the body into a C function
 *   static uint64_t plat_spawn_N(void *env)
 * returning the task's value as a word, with the captured locals copied
 * into a struct plat_env_N at spawn time (the checker lists them in
 * SpawnInfo.captures); the function first copies them back into locals of
 * the same C names, so the body's code is unchanged.  The env argument is
 * the struct's bytes themselves when it fits in a pointer (the runtime
 * keeps env in a word the GC traces, so a captured pointer stays seen),
 * else a GC-allocated copy: the test is on sizeof, folded by the C
 * compiler.  Most spawns capture a loop index or one reference and then
 * allocate nothing but the task record.
 *
 * A body with spawns directly in it (SpawnInfo.body_scope) opens a scope
 * of its own around the whole body, like a concurrent block: the task
 * returns only after those children end.
 */
#include "emit_int.h"

void emit_concurrent_into(Node *n, Dest d) {
  ConcInfo *ci = n->sema;
  int id = ci ? ci->id : 0;
  emit_line(n->span);
  out("{ plat_scope %s __attribute__((cleanup(plat_scope_cleanup)));\n", mangle_numbered("plat_sc_", id));
  out("plat_scope_enter(&%s, plat_file, %d);\n", mangle_numbered("plat_sc_", id), line_of(n->span));
  if ((!n->ty || n->ty == ty_unit || n->ty == ty_never) && d.kind == DEST_VAR) d.kind = DEST_DISCARD;
  emit_into(n->body, d);
  out("\n}\n");
}

static void lift_spawn(Node *n, SpawnInfo *si) {
  Buf b = {0};
  Buf *saved_out = E.out;
  Type *saved_ret = E.task_ret;
  int saved_line = E.last_line;
  E.out = &b;
  E.task_ret = si->result ? si->result : ty_unit;
  E.last_line = 0;
  if (si->captures.len) {
    out("struct %s {\n", mangle_numbered("plat_env_", si->id));
    for (int i = 0; i < si->captures.len; i++) {
      Sym *s = si->captures.items[i];
      out("  %s %s;\n", ctype(s->type), sym_cname(s));
    }
    out("};\n");
  }
  emit_line(n->span);
  out("static uint64_t %s(void *plat_envp) {\n", mangle_numbered("plat_spawn_", si->id));
  if (si->captures.len) {
    out("struct %s plat_env_v, *plat_env = &plat_env_v;\n", mangle_numbered("plat_env_", si->id));
    out("if (sizeof plat_env_v <= sizeof plat_envp) "
        "__builtin_memcpy(&plat_env_v, &plat_envp, sizeof plat_env_v);\n");
    out("else plat_env_v = *(struct %s *)plat_envp;\n", mangle_numbered("plat_env_", si->id));
  } else {
    out("(void)plat_envp;\n");
  }
  for (int i = 0; i < si->captures.len; i++) {
    Sym *s = si->captures.items[i];
    out("%s %s = plat_env->%s;\n", ctype(s->type), sym_cname(s), sym_cname(s));
  }
  emit_fn_prologue(n->span);
  if (si->body_scope) {               /* spawns directly in the body join here */
    int id = si->body_scope->id;
    out("plat_scope %s __attribute__((cleanup(plat_scope_cleanup)));\n", mangle_numbered("plat_sc_", id));
    out("plat_scope_enter(&%s, plat_file, %d);\n", mangle_numbered("plat_sc_", id), line_of(n->span));
  }
  emit_block_body(n->body, (Dest){DEST_RETURN, NULL});
  out("\nreturn 0;\n}\n");
  lift_chunk(&b);
  buf_free(&b);
  E.out = saved_out;
  E.task_ret = saved_ret;
  E.last_line = saved_line;
}

/* Lift n's body (N_SPAWN, or N_WITH_TIMEOUT for emit_chan.c); *fn gets
 * the lifted function's name; returns the C expression of its env. */
const char *spawn_env_str(Node *n, const char **fn) {
  SpawnInfo *si = n->sema;
  lift_spawn(n, si);
  *fn = mangle_numbered("plat_spawn_", si->id);
  if (!si->captures.len) return "NULL";
  Buf b = {0};
  const char *e = new_tmp();
  const char *w = new_tmp();
  buf_printf(&b, "({ struct %s %s = {0}; ", mangle_numbered("plat_env_", si->id), e);
  for (int i = 0; i < si->captures.len; i++) {
    const char *c = sym_cname(si->captures.items[i]);
    buf_printf(&b, "%s.%s = %s; ", e, c, c);
  }
  buf_printf(&b, "void *%s = 0; if (sizeof %s <= sizeof %s) __builtin_memcpy(&%s, &%s, sizeof %s); ",
             w, e, w, w, e, e);
  buf_printf(&b, "else { %s = plat_alloc(sizeof %s); __builtin_memcpy(%s, &%s, sizeof %s); } %s; })",
             w, e, w, e, e, w);
  const char *s = arena_strndup(b.data, b.len);
  buf_free(&b);
  return s;
}

const char *spawn_str(Node *n) {
  SpawnInfo *si = n->sema;
  if (!si) return "((plat_task *)0)";
  const char *fn = NULL;
  const char *env = spawn_env_str(n, &fn);
  int sc = si->conc ? si->conc->id : 0;
  return arena_printf("plat_spawn(&%s, %s, %s, plat_file, %d)", mangle_numbered("plat_sc_", sc), fn, env,
                      line_of(n->span));
}
