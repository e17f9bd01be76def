/* emit.c -- lowering a checked program to C: the translation unit.
 *
 * Layout of the generated file: includes and small inline helpers
 * (division, casts, unwrap, asserts), class struct types, payload-less
 * variant constants, prototypes of every function, string literals, the
 * lifted spawn bodies, the functions, and finally `main`, which hands the
 * entry function to plat_main() (or, in test mode, hands the table of
 * test_* functions to plat_test_main(), runtime/testrun.c).
 *
 * Naming: user function f -> plat_u_f; method m of class K -> K__m (the
 * constructor is K__init); test function t of block b -> plat_t_b__t;
 * class K -> struct C_K with fields f_<name>; locals -> <name>_<id>;
 * temporaries -> plat_tN; spawn bodies -> plat_spawn_N with env struct
 * plat_env_N; concurrent scopes -> plat_sc_N.
 */
#include "emit_int.h"
#include "diag.h"

#include <stdio.h>

Emitter E;

void out(const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  char small[512];
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < (int)sizeof small) {
    buf_put(E.out, small, (size_t)n);
  } else {
    char *big = arena_alloc((size_t)n + 1);
    vsnprintf(big, (size_t)n + 1, fmt, aq);
    buf_put(E.out, big, (size_t)n);
  }
  va_end(aq);
}

const char *new_tmp(void) { return arena_printf("plat_t%d", ++E.tmp); }

const char *ctype(Type *t) {
  if (!t) return "int";
  switch (t->kind) {
  case T_BOOL: return "bool";
  case T_I8: return "int8_t";
  case T_I16: return "int16_t";
  case T_I32: return "int32_t";
  case T_I64: return "int64_t";
  case T_F32: return "float";
  case T_F64: return "double";
  case T_STRING: return "plat_str *";
  case T_LIST: return "plat_list *";
  case T_ENUM: return "plat_enum *";
  case T_CLASS: return arena_printf("struct C_%s *", t->cls->name);
  case T_TASK: return "plat_task *";
  case T_CHANNEL: return "void *";
  case T_UNIT: case T_NEVER: return "void";
  default: return "int";
  }
}

const char *to_word(const char *c, Type *t) {
  switch (t ? t->kind : T_ERROR) {
  case T_I8: case T_I16: case T_I32: case T_I64: return arena_printf("plat_w_i64((int64_t)(%s))", c);
  case T_BOOL: return arena_printf("((plat_word)(%s))", c);
  case T_F64: return arena_printf("plat_w_f64(%s)", c);
  case T_F32: return arena_printf("plat_w_f32(%s)", c);
  case T_UNIT: case T_NEVER: return arena_printf("((void)(%s), (plat_word)0)", c);
  case T_ERROR: case T_PARAM: return arena_printf("((plat_word)(%s))", c);
  default: return arena_printf("plat_w_ptr(%s)", c);
  }
}

const char *from_word(const char *c, Type *t) {
  switch (t ? t->kind : T_ERROR) {
  case T_I8: case T_I16: case T_I32: case T_I64:
    return arena_printf("((%s)plat_i64_w(%s))", ctype(t), c);
  case T_BOOL: return arena_printf("((%s) != 0)", c);
  case T_F64: return arena_printf("plat_f64_w(%s)", c);
  case T_F32: return arena_printf("plat_f32_w(%s)", c);
  case T_UNIT: case T_NEVER: return arena_printf("((void)(%s))", c);
  case T_ERROR: case T_PARAM: return c;
  default: return arena_printf("((%s)plat_ptr_w(%s))", ctype(t), c);
  }
}

const char *sym_cname(Sym *s) {
  if (!s) return "plat_missing";
  if (s->kind == SYM_SELF) return "self";
  return arena_printf("%s_%d", s->name, s->id);
}

static uint64_t lit_hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/* The literal's slot in E.lit_tab (open addressing; grows at half full). */
static LitEntry *lit_slot(const char *s, size_t n) {
  if (2 * (E.nlit + 1) > E.lit_cap) {
    int cap = E.lit_cap ? 2 * E.lit_cap : 256;
    LitEntry *t = arena_alloc(sizeof(LitEntry) * (size_t)cap);
    for (int i = 0; i < E.lit_cap; i++) {
      LitEntry *e = &E.lit_tab[i];
      if (!e->k) continue;
      size_t j = lit_hash(e->s, e->n) & (size_t)(cap - 1);
      while (t[j].k) j = (j + 1) & (size_t)(cap - 1);
      t[j] = *e;
    }
    E.lit_tab = t;
    E.lit_cap = cap;
  }
  size_t j = lit_hash(s, n) & (size_t)(E.lit_cap - 1);
  while (E.lit_tab[j].k && (E.lit_tab[j].n != n || memcmp(E.lit_tab[j].s, s, n)))
    j = (j + 1) & (size_t)(E.lit_cap - 1);
  return &E.lit_tab[j];
}

/* A static plat_str for the bytes s[0..n) (one per distinct text);
 * returns its address as C code. */
const char *str_lit(const char *s, size_t n) {
  LitEntry *e = lit_slot(s, n);
  if (e->k) return arena_printf("(&plat_s%d)", e->k);
  Buf *saved = E.out;
  E.out = &E.lits;
  int k = ++E.nlit;
  *e = (LitEntry){s, n, k};
  out("static plat_str plat_s%d = PLAT_STR_LIT(\"", k);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') out("\\%c", c);
    else if (c >= 32 && c < 127 && c != '?') out("%c", c);
    else out("\\%03o", c);
  }
  out("\");\n");
  E.out = saved;
  return arena_printf("(&plat_s%d)", k);
}

int line_of(Span s) {
  int line = 1, col = 1;
  diag_line_col(s.lo, &line, &col);
  return line;
}

void emit_line_no(int l) {
  E.last_line = l;
  out("\n#line %d \"", l);
  for (const char *p = E.prog->path ? E.prog->path : "?"; *p; p++) {
    if (*p == '"' || *p == '\\') out("\\");
    out("%c", *p);
  }
  out("\"\n");
}

void emit_line(Span s) {
  int l = line_of(s);
  if (l != E.last_line) emit_line_no(l);
}

void emit_gen_lines(void) {
  E.last_line = 0;
  out("\n#line 1 \"" PLAT_GEN_FILE "\"\n");
}

void lift_chunk(Buf *b) {
  Buf *saved = E.out;
  E.out = &E.lifted;
  emit_gen_lines();
  buf_put(&E.lifted, b->data ? b->data : "", b->len);
  E.out = saved;
}

void emit_fn_prologue(Span s) { out("PLAT_STACK_CHECK(plat_file, %d);\n", line_of(s)); }

/* ---- the preamble: helpers every program may use ---- */
static const char preamble[] =
  "#include <stdbool.h>\n#include <stdint.h>\n#include <stdio.h>\n#include <math.h>\n"
  "#include \"plat_rt.h\"\n#include \"plat_value.h\"\n"
  "#if __has_include(\"plat_io.h\")\n#include \"plat_io.h\"\n#endif\n"
  "#if __has_include(\"plat_chan.h\")\n#include \"plat_chan.h\"\n#endif\n#include \"plat_race.h\"\n"
  "#ifndef PLAT_STACK_CHECK\n#define PLAT_STACK_CHECK(f, l) ((void)0)\n#endif\n"
  /* string built-ins that can exceed the largest String panic at the
   * .plat line (#line makes __LINE__ one) */
  "#define plat_str_concat(a, b) plat_str_concat_at((a), (b), plat_file, __LINE__)\n"
  "#define plat_list_join(l, s) plat_list_join_at((l), (s), plat_file, __LINE__)\n"
  "#define plat_str_replace(s, f, t) plat_str_replace_at((s), (f), (t), plat_file, __LINE__)\n"
  "#define plat_str_cat(...) plat_str_cat_at(__LINE__, __VA_ARGS__)\n"
  "#ifndef PLAT_LOOP_CHECK\n#define PLAT_LOOP_CHECK(f, l) plat_loop_check_slow((f), (l))\n#endif\n"
  "#define PLAT_DIV(T, NAME, REM)                                             \\\n"
  "  static inline T NAME(T a, T b, int line) {                               \\\n"
  "    if (b == 0) plat_panic(\"division by zero\", plat_file, line);           \\\n"
  "    if (b == -1) return REM ? (T)0 : (T)(0 - (uint64_t)(int64_t)a);         \\\n"
  "    return REM ? (T)(a % b) : (T)(a / b);                                   \\\n"
  "  }\n"
  "PLAT_DIV(int8_t, plat_div_i8, 0) PLAT_DIV(int8_t, plat_rem_i8, 1)\n"
  "PLAT_DIV(int16_t, plat_div_i16, 0) PLAT_DIV(int16_t, plat_rem_i16, 1)\n"
  "PLAT_DIV(int32_t, plat_div_i32, 0) PLAT_DIV(int32_t, plat_rem_i32, 1)\n"
  "PLAT_DIV(int64_t, plat_div_i64, 0) PLAT_DIV(int64_t, plat_rem_i64, 1)\n"
  "/* float -> int: truncate toward zero, saturate, NaN -> 0 */\n"
  "#define PLAT_F2I(T, NAME, LO, HI)                                          \\\n"
  "  static inline T NAME(double x) {                                         \\\n"
  "    if (x != x) return 0;                                                  \\\n"
  "    if (x <= (double)(LO)) return LO;                                      \\\n"
  "    if (x >= (double)(HI)) return HI;                                      \\\n"
  "    return (T)x;                                                           \\\n"
  "  }\n"
  "PLAT_F2I(int8_t, plat_f2i8, INT8_MIN, INT8_MAX) PLAT_F2I(int16_t, plat_f2i16, INT16_MIN, INT16_MAX)\n"
  "PLAT_F2I(int32_t, plat_f2i32, INT32_MIN, INT32_MAX) PLAT_F2I(int64_t, plat_f2i64, INT64_MIN, INT64_MAX)\n"
  "static inline plat_word plat_unwrap_opt(plat_enum *e, int line) {\n"
  "  if (e->tag != 0) plat_panic(\"called unwrap() on None\", plat_file, line);\n"
  "  return e->f[0];\n}\n"
  "static inline plat_word plat_unwrap_res(plat_enum *e, int str_err, int line) {\n"
  "  if (e->tag != 0) {\n"
  "    if (str_err) plat_panicf(plat_file, line, \"called unwrap() on Err: %s\", ((plat_str *)plat_ptr_w(e->f[0]))->data);\n"
  "    plat_panic(\"called unwrap() on an Err value\", plat_file, line);\n"
  "  }\n"
  "  return e->f[0];\n}\n"
  "static inline plat_word plat_expect(plat_enum *e, plat_str *msg, int line) {\n"
  "  if (e->tag != 0) plat_panic(msg->data, plat_file, line);\n"
  "  return e->f[0];\n}\n"
  "static inline void plat_assert_fail(plat_str *msg, int line) {\n"
  "  if (msg) plat_panicf(plat_file, line, \"assertion failed: %s\", msg->data);\n"
  "  plat_panic(\"assertion failed\", plat_file, line);\n}\n"
  "static inline void plat_list_store(plat_list *l, int64_t i, plat_word v, int line) {\n"
  "  if (!plat_list_set(l, i, v))\n"
  "    plat_panicf(plat_file, line, \"list index %lld out of range (length %lld)\", (long long)i, (long long)l->len);\n}\n"
  "static inline plat_enum *plat_enum_make(int64_t tag, int n, const plat_word *f) {\n"
  "  plat_enum *e = plat_enum_new(tag, n);\n"
  "  for (int i = 0; i < n; i++) e->f[i] = f[i];\n"
  "  return e;\n}\n"
  "static void plat_scope_cleanup(plat_scope *sc) { plat_scope_exit(sc); }\n"
  "/* an interpolation of more than two segments: one allocation */\n"
  "static inline plat_str *plat_str_cat_at(int line, int n, plat_str *const *p) {\n"
  "  int64_t len = 0;   /* each <= 2^31 - 1: no overflow */\n"
  "  for (int i = 0; i < n; i++) len += p[i]->len;\n"
  "  char *d;\n"
  "  plat_str *s = plat_str_alloc_at(len, &d, plat_file, line);\n"
  "  for (int i = 0; i < n; i++) { memcpy(d, p[i]->data, (size_t)p[i]->len); d += p[i]->len; }\n"
  "  return s;\n}\n";

/* ---- declarations ---- */
static void emit_params(FnInfo *fi) {
  Decl *d = fi->decl;
  int k = 0;
  if (fi->cls && !fi->is_init) {
    out("struct C_%s *self", fi->cls->name);
    k++;
  }
  for (int i = 0; i < d->params.len; i++)
    out("%s%s %s", k++ ? ", " : "", ctype(fi->ptypes[i]), sym_cname(d->params.items[i].sym));
  if (!k) out("void");
}

static void emit_proto(FnInfo *fi) {
  out("static %s %s(", ctype(fi->ret), fi->cname);
  emit_params(fi);
  out(");\n");
}

static void emit_fn(FnInfo *fi) {
  Decl *d = fi->decl;
  E.fn = fi;
  E.task_ret = NULL;
  E.last_line = 0;
  emit_line(d->span);
  out("static %s %s(", ctype(fi->ret), fi->cname);
  emit_params(fi);
  out(") {\n");
  emit_fn_prologue(d->span);
  if (fi->is_init) out("struct C_%s *self = plat_alloc(sizeof(struct C_%s));\n", fi->cls->name, fi->cls->name);
  if (d->body) {
    Dest dest = {fi->ret->kind == T_UNIT || fi->implicit_self ? DEST_DISCARD : DEST_RETURN, NULL};
    emit_block_body(d->body, dest);
  }
  if (fi->implicit_self) out("return self;\n");
  out("}\n");
  E.fn = NULL;
}

static void emit_default_ctor(ClassInfo *ci) {
  E.last_line = 0;
  emit_line(ci->decl->name_span);
  out("static struct C_%s *%s__init(", ci->name, ci->name);
  for (int i = 0; i < ci->nfields; i++) out("%s%s p_%s", i ? ", " : "", ctype(ci->fields[i].type), ci->fields[i].name);
  if (!ci->nfields) out("void");
  out(") {\n  struct C_%s *self = plat_alloc(sizeof(struct C_%s));\n", ci->name, ci->name);
  for (int i = 0; i < ci->nfields; i++) out("  self->f_%s = p_%s;\n", ci->fields[i].name, ci->fields[i].name);
  out("  return self;\n}\n");
}

static void emit_class_types(Program *p) {
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (d && d->kind == D_CLASS && d->sema) out("struct C_%s;\n", d->name);
  }
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d || d->kind != D_CLASS || !d->sema) continue;
    ClassInfo *ci = d->sema;
    out("struct C_%s {\n", ci->name);
    for (int j = 0; j < ci->nfields; j++) out("  %s f_%s;\n", ctype(ci->fields[j].type), ci->fields[j].name);
    if (!ci->nfields) out("  char plat_empty;\n");
    out("};\n");
  }
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d || d->kind != D_ENUM || !d->sema) continue;
    EnumInfo *en = d->sema;
    for (int v = 0; v < en->nvariants; v++)
      if (!en->variants[v].nfields)
        out("static plat_enum plat_k_%s_%s = { .tag = %d };\n", en->name, en->variants[v].name, v);
  }
}

/* Visit every function-like declaration: fn(FnInfo), or ctor(ClassInfo). */
static void each_fn(Program *p, void (*fn)(FnInfo *), void (*ctor)(ClassInfo *)) {
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d) continue;
    if (d->kind == D_FN && d->sema) fn(d->sema);
    if (d->kind == D_CLASS && d->sema) {
      ClassInfo *ci = d->sema;
      if (!ci->init && ctor) ctor(ci);
      for (int j = 0; j < d->methods.len; j++)
        if (d->methods.items[j] && d->methods.items[j]->sema) fn(d->methods.items[j]->sema);
    }
    if (d->kind == D_TEST && E.opt->test_mode)
      for (int j = 0; j < d->fns.len; j++)
        if (d->fns.items[j] && d->fns.items[j]->sema) fn(d->fns.items[j]->sema);
  }
}

static void proto_ctor(ClassInfo *ci) {
  out("static struct C_%s *%s__init(", ci->name, ci->name);
  for (int i = 0; i < ci->nfields; i++) out("%s%s", i ? ", " : "", ctype(ci->fields[i].type));
  if (!ci->nfields) out("void");
  out(");\n");
}

static void emit_main(Program *p) {
  Decl *m = NULL;
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (d && d->kind == D_FN && d->name && !strcmp(d->name, "main") && d->sema) m = d;
  }
  out("\nstatic uint64_t plat_entry(void *env) {\n  (void)env;\n");
  if (m && ((FnInfo *)m->sema)->ret == ty_i32) out("  return (uint64_t)(int64_t)plat_u_main();\n");
  else if (m) out("  plat_u_main();\n  return 0;\n");
  else out("  return 0;\n");
  out("}\n");
}

static void emit_test_main(Program *p) {
  int n = 0;
  Buf table = {0};
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d || d->kind != D_TEST) continue;
    for (int j = 0; j < d->fns.len; j++) {
      Decl *f = d->fns.items[j];
      if (!f || !f->sema || !f->name || strncmp(f->name, "test_", 5) || f->params.len) continue;
      out("static uint64_t plat_test_%d(void *env) { (void)env; %s(); return 0; }\n", n,
          ((FnInfo *)f->sema)->cname);
      buf_printf(&table, "  {\"%s::%s\", \"%s\", \"%s\", plat_test_%d},\n", d->name, f->name, d->name, f->name, n);
      n++;
    }
  }
  out("#include \"plat_test.h\"\nstatic const plat_test_case plat_tests[] = {\n");
  if (table.len) buf_put(E.out, table.data, table.len);
  out("  {NULL, NULL, NULL, NULL},\n};\n");
  buf_free(&table);
}

void emit_program(Program *p, Buf *dst, const EmitOptions *opt) {
  memset(&E, 0, sizeof E);
  E.prog = p;
  E.opt = opt;
  E.out = &E.head;
  out("/* generated by plat from %s: do not edit */\n", p->path ? p->path : "?");
  out("static const char plat_file[] = \"");
  for (const char *s = p->path ? p->path : "?"; *s; s++) {
    if (*s == '"' || *s == '\\') out("\\");
    out("%c", *s);
  }
  out("\";\n");
  buf_puts(E.out, preamble);
  emit_class_types(p);
  each_fn(p, emit_proto, proto_ctor);
  E.out = &E.fns;
  each_fn(p, emit_fn, emit_default_ctor);
  emit_gen_lines();
  if (opt && opt->test_mode) {
    emit_test_main(p);
    out("int main(int argc, char **argv) { return plat_test_main(argc, argv, plat_tests); }\n");
  } else {
    emit_main(p);
    out("int main(int argc, char **argv) { return plat_main(argc, argv, plat_entry, NULL); }\n");
  }
  Buf all = {0};
  Buf *parts[] = {&E.head, &E.lits, &E.lifted, &E.fns};
  for (int i = 0; i < 4; i++) {
    buf_puts(&all, "\n#line 1 \"" PLAT_GEN_FILE "\"\n");
    if (parts[i]->len) buf_put(&all, parts[i]->data, parts[i]->len);
    buf_free(parts[i]);
  }
  emit_fix_lines(all.data, all.len, dst);
  buf_free(&all);
}
