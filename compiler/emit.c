/* emit.c -- lowering a checked program to C: the translation unit.
 *
 * Layout of the generated file: `plat_file` (the source path) and
 * runtime/plat_gen.h (the runtime's headers and the inline helpers of
 * generated code: division, casts, unwrap, asserts), class struct types,
 * payload-less variant constants, prototypes of every function, string
 * literals, the lifted spawn bodies, the functions, and finally `main`,
 * which hands the entry function to plat_main() (or, in test mode, hands
 * the table of test_* functions to plat_test_main(), runtime/testrun.c).
 * Every C name comes from mangle.c.
 */
#include "emit_int.h"
#include "diag.h"

#include <stdio.h>

Emitter E;

const char *const emit_runtime_uses[] = {
  "plat_div_i8 plat_rem_i8 plat_div_i16 plat_rem_i16 plat_div_i32 plat_rem_i32 plat_div_i64 plat_rem_i64",
  "plat_f2i8 plat_f2i16 plat_f2i32 plat_f2i64 plat_unwrap_opt plat_expect plat_assert_fail",
  "plat_list_store plat_enum_make plat_str_cat_at plat_str_concat_at plat_list_join_at plat_str_replace_at",
  "plat_scope_cleanup",
  "plat_alloc plat_argc plat_argv plat_catch plat_main plat_print plat_panic plat_panicf",
  "plat_str_cmp plat_str_concat plat_str_cstr plat_str_eq",
  "plat_list_get plat_list_new plat_list_of plat_list_set plat_enum_new plat_none plat_some plat_ok plat_err",
  "plat_loop_check_slow plat_scope_enter plat_scope_exit plat_spawn plat_race plat_with_timeout plat_select",
  "plat_defer_push plat_defer_cleanup plat_chan_recv plat_chan_try_recv plat_w_i64 plat_i64_w plat_w_f64",
  "plat_f64_w plat_w_f32 plat_f32_w plat_w_ptr plat_ptr_w",
  NULL,
};

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

const char *new_tmp(void) { return mangle_numbered("plat_t", ++E.tmp); }

Type *ety(Type *t) { return type_subst(t, E.subst); }

const char *ctype(Type *t) {
  t = ety(t);
  if (!t || t == ty_error) return "int";
  if (type_is_class(t)) return arena_printf("%s *", mangle_class(t->decl));
  if (t->decl->repr == REPR_VOID) return "void";
  return t->decl->ctype ? t->decl->ctype : "int";
}

const char *to_word(const char *c, Type *t) {
  t = ety(t);
  switch (t ? t->decl->repr : REPR_WORD) {
  case REPR_INT: return arena_printf("plat_w_i64((int64_t)(%s))", c);
  case REPR_BOOL: return arena_printf("((plat_word)(%s))", c);
  case REPR_F64: return arena_printf("plat_w_f64(%s)", c);
  case REPR_F32: return arena_printf("plat_w_f32(%s)", c);
  case REPR_VOID: return t == ty_error ? arena_printf("((plat_word)(%s))", c)
                                       : arena_printf("((void)(%s), (plat_word)0)", c);
  case REPR_WORD: return arena_printf("((plat_word)(%s))", c);
  case REPR_PTR: return arena_printf("plat_w_ptr(%s)", c);
  }
  return c;
}

const char *from_word(const char *c, Type *t) {
  t = ety(t);
  switch (t ? t->decl->repr : REPR_WORD) {
  case REPR_INT: return arena_printf("((%s)plat_i64_w(%s))", ctype(t), c);
  case REPR_BOOL: return arena_printf("((%s) != 0)", c);
  case REPR_F64: return arena_printf("plat_f64_w(%s)", c);
  case REPR_F32: return arena_printf("plat_f32_w(%s)", c);
  case REPR_VOID: return t == ty_error ? c : arena_printf("((void)(%s))", c);
  case REPR_WORD: return c;
  case REPR_PTR: return arena_printf("((%s)plat_ptr_w(%s))", ctype(t), c);
  }
  return c;
}

const char *sym_cname(Sym *s) { return mangle_local(s); }

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
  if (e->k) return arena_printf("(&%s)", mangle_numbered("plat_s", e->k));
  Buf *saved = E.out;
  E.out = &E.lits;
  int k = ++E.nlit;
  *e = (LitEntry){s, n, k};
  const char *name = mangle_numbered("plat_s", k);
  out("static plat_str %s = PLAT_STR_LIT(\"", name);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') out("\\%c", c);
    else if (c >= 32 && c < 127 && c != '?') out("%c", c);
    else out("\\%03o", c);
  }
  out("\");\n");
  E.out = saved;
  return arena_printf("(&%s)", name);
}

int line_of(Span s) {
  Location at = fset_locate_line(E.prog->fset, s.lo);
  return at.file ? at.line : 1;
}

/* `#line l` of the file of the last emit_line (the main file at first). */
void emit_line_no(int l) {
  E.last_line = l;
  out("\n#line %d \"", l);
  for (const char *p = E.line_file ? E.line_file : E.prog->path ? E.prog->path : "?"; *p; p++) {
    if (*p == '"' || *p == '\\') out("\\");
    out("%c", *p);
  }
  out("\"\n");
}

void emit_line(Span s) {
  Location at = fset_locate_line(E.prog->fset, s.lo);
  if (!at.file) return;
  bool same_file = E.line_file == at.file->path;
  E.line_file = at.file->path;
  if (at.line != E.last_line || !same_file) emit_line_no(at.line);
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

/* ---- declarations ---- */
static void emit_params(FnInfo *fi) {
  Decl *d = fi->decl;
  int k = 0;
  if (fi->cls && !fi->is_init) {
    out("%s *self", mangle_class(fi->cls));
    k++;
  }
  for (int i = 0; i < d->params.len; i++)
    out("%s%s %s", k++ ? ", " : "", ctype(fi->ptypes[i]), sym_cname(d->params.items[i].sym));
  if (!k) out("void");
}

static void emit_proto(FnInfo *fi) {
  out("static %s %s(", ctype(fi->ret), mangle_fn(fi));
  emit_params(fi);
  out(");\n");
}

static void emit_fn(FnInfo *fi) {
  Decl *d = fi->decl;
  E.fn = fi;
  E.task_ret = NULL;
  E.last_line = 0;
  emit_line(d->span);
  out("static %s %s(", ctype(fi->ret), mangle_fn(fi));
  emit_params(fi);
  out(") {\n");
  emit_fn_prologue(d->span);
  if (fi->is_init) out("%s *self = plat_alloc(sizeof(%s));\n", mangle_class(fi->cls), mangle_class(fi->cls));
  if (d->body) {
    Dest dest = {fi->ret == ty_unit || fi->implicit_self ? DEST_DISCARD : DEST_RETURN, NULL};
    emit_block_body(d->body, dest);
  }
  if (fi->implicit_self) out("return self;\n");
  out("}\n");
  E.fn = NULL;
}

static void emit_default_ctor(TypeDecl *ci) {
  E.last_line = 0;
  emit_line(ci->ast->name_span);
  const char *st = mangle_class(ci);
  out("static %s *%s(", st, mangle_ctor(ci));
  for (int i = 0; i < ci->nfields; i++)
    out("%s%s %s", i ? ", " : "", ctype(ci->fields[i].type), mangle_ctor_param(ci->fields[i].name));
  if (!ci->nfields) out("void");
  out(") {\n  %s *self = plat_alloc(sizeof(%s));\n", st, st);
  for (int i = 0; i < ci->nfields; i++)
    out("  self->%s = %s;\n", mangle_field(ci->fields[i].name), mangle_ctor_param(ci->fields[i].name));
  out("  return self;\n}\n");
}

static void emit_class_types(Program *p) {
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (d && d->kind == D_CLASS && d->sema) out("%s;\n", mangle_class(d->sema));
  }
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d || d->kind != D_CLASS || !d->sema) continue;
    TypeDecl *ci = d->sema;
    out("%s {\n", mangle_class(ci));
    for (int j = 0; j < ci->nfields; j++) out("  %s %s;\n", ctype(ci->fields[j].type), mangle_field(ci->fields[j].name));
    if (!ci->nfields) out("  char plat_empty;\n");
    out("};\n");
  }
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d || d->kind != D_ENUM || !d->sema) continue;
    TypeDecl *en = d->sema;
    for (int v = 0; v < en->nvariants; v++)
      if (!en->variants[v].nfields) out("static plat_enum %s = { .tag = %d };\n", mangle_variant_const(en, v), v);
  }
}

/* Visit every function-like declaration: fn(FnInfo), or ctor(class). */
static void each_fn(Program *p, void (*fn)(FnInfo *), void (*ctor)(TypeDecl *)) {
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d) continue;
    if (d->kind == D_FN && d->sema) fn(d->sema);
    if (d->kind == D_CLASS && d->sema) {
      TypeDecl *ci = d->sema;
      if (!ci->init && ctor) ctor(ci);
      for (int j = 0; j < d->methods.len; j++)
        if (d->methods.items[j] && d->methods.items[j]->sema) fn(d->methods.items[j]->sema);
    }
    if (d->kind == D_TEST && E.opt->test_mode)
      for (int j = 0; j < d->fns.len; j++)
        if (d->fns.items[j] && d->fns.items[j]->sema) fn(d->fns.items[j]->sema);
  }
}

static void proto_ctor(TypeDecl *ci) {
  out("static %s *%s(", mangle_class(ci), mangle_ctor(ci));
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
  if (m && ((FnInfo *)m->sema)->ret == ty_i32) out("  return (uint64_t)(int64_t)%s();\n", mangle_fn(m->sema));
  else if (m) out("  %s();\n  return 0;\n", mangle_fn(m->sema));
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
      out("static uint64_t %s(void *env) { (void)env; %s(); return 0; }\n", mangle_numbered("plat_test_", n),
          mangle_fn(f->sema));
      buf_printf(&table, "  {\"%s::%s\", \"%s\", \"%s\", %s},\n", d->name, f->name, d->name, f->name,
                 mangle_numbered("plat_test_", n));
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
  E.subst = NULL;     /* no generic instances yet */
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
  out("#include \"plat_gen.h\"\n");   /* the runtime's helpers of generated code */
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
