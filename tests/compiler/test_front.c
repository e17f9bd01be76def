/* test_front.c -- unit tests of the front end's foundations: the file
 * set, nominal types, the symbol table, the built-in catalogue (a
 * malformed row is refused), the AST walker (an unknown node kind is an
 * internal error) and diagnostics as data. */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../compiler/builtins.h"
#include "../../compiler/diag.h"
#include "../../compiler/parse.h"
#include "../../compiler/scope.h"

static int failures;
#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); failures++; } } while (0)

static void fileset(void) {
  FileSet fs = {0};
  SrcFile *a = fset_add(&fs, "a.plat", "ab\ncd", 5);
  SrcFile *b = fset_add(&fs, "b.plat", "x\n\xc3\xa9y", 5);
  CHECK(a->base == 1 && b->base > a->base + a->len);
  CHECK(fset_file(&fs, 0) == NULL);
  CHECK(fset_file(&fs, a->base + 4) == a && fset_file(&fs, b->base) == b);
  Location l = fset_locate(&fs, a->base + 4);
  CHECK(l.file == a && l.line == 2 && l.col == 2);
  l = fset_locate(&fs, b->base + 4);          /* `y` after a two-byte é: column 2 */
  CHECK(l.file == b && l.line == 2 && l.col == 2);
}

/* `//` comments are kept on the file's side list, in order, with spans. */
static void comments(void) {
  FileSet fs = {0};
  const char *src = "// head\nfn main() { // tail\n  let s: String = \"// not one\";\n}\n// end";
  DiagList l = {0};
  diag_begin(&l);
  Program *p = parse_program(&fs, "c.plat", src, strlen(src));
  diag_begin(NULL);
  CHECK(l.errors == 0 && p->decls.len == 1);
  SrcFile *f = p->file;
  CHECK(f->comments.len == 3);
  if (f->comments.len == 3) {
    Span a = f->comments.items[0].span, b = f->comments.items[1].span, c = f->comments.items[2].span;
    CHECK(a.lo == f->base && a.hi == f->base + 7);
    CHECK(!strncmp(src + (b.lo - f->base), "// tail", b.hi - b.lo) && b.hi - b.lo == 7);
    CHECK(fset_locate(&fs, c.lo).line == 5 && c.hi == f->base + f->len);
  }
  diag_list_free(&l);
}

static void types(void) {
  Type *l1 = type_list(ty_i32), *l2 = type_list(ty_i32);
  CHECK(l1 == l2 && l1 != type_list(ty_i64));                   /* interned */
  CHECK(!strcmp(type_result(ty_i32, ty_string)->str, "Result<Int32, String>"));
  CHECK(type_has(ty_i8, TP_INT | TP_EQ | TP_ORD | TP_PRINT) && !type_has(ty_f64, TP_HASH));
  CHECK(type_has(ty_string, TP_REF | TP_HASH) && !type_has(type_list(ty_i32), TP_EQ));
  /* a type parameter belongs to its declaration */
  TypeDecl *pair = typedecl_new(TD_ENUM, intern_cstr("Pair"));
  Name t = intern_cstr("T");
  typedecl_set_params(pair, 1, &t);
  CHECK(pair->tparams[0] != td_option->tparams[0]);
  CHECK(!strcmp(pair->tparams[0]->str, "T") && !strcmp(td_option->tparams[0]->str, "T"));
  /* substitution replaces only the owner's parameters */
  Type *mixed = type_result(pair->tparams[0], td_option->tparams[0]);
  Type *args[] = {ty_bool};
  Subst s = {pair, args, 1, NULL};
  CHECK(type_subst(mixed, &s) == type_result(ty_bool, td_option->tparams[0]));
  Type *args2[] = {ty_string};
  Subst s2 = {td_option, args2, 1, &s};
  CHECK(type_subst(mixed, &s2) == type_result(ty_bool, ty_string));
  /* many instances: the table grows and keeps identity */
  Type *prev = ty_i32;
  for (int i = 0; i < 2000; i++) prev = type_list(prev);
  Type *again = ty_i32;
  for (int i = 0; i < 2000; i++) again = type_list(again);
  CHECK(prev == again);
}

static void scopes(void) {
  Scope *uni = catalogue_universe();
  CHECK(scope_find(uni, intern_cstr("Int"), SM_TYPE)->tdecl == ty_i64->decl);
  CHECK(scope_find(uni, intern_cstr("print"), SM_FN)->kind == SYM_BUILTIN);
  CHECK(scope_find(uni, intern_cstr("AnyInt"), SM_ALL) == NULL);     /* signatures only */
  Scope *fn = scope_new(SC_FUNCTION, scope_new(SC_MODULE, uni));
  Sym x = {.kind = SYM_LOCAL, .name = intern_cstr("x")};
  CHECK(scope_declare(fn, &x, 0) == NULL);
  SymVec spawn_caps = {0}, defer_caps = {0};
  Scope *sp = scope_new(SC_SPAWN, scope_new(SC_BLOCK, fn));
  sp->captures = &spawn_caps;
  Scope *df = scope_new(SC_DEFER, scope_new(SC_BLOCK, sp));
  df->captures = &defer_caps;
  Scope *inner = scope_new(SC_BLOCK, df);
  CHECK(scope_lookup(inner, x.name, SM_VALUE) == &x);
  CHECK(scope_lookup(inner, x.name, SM_VALUE) == &x);              /* recorded once */
  CHECK(spawn_caps.len == 1 && defer_caps.len == 1);
  CHECK(scope_captured_by_value(inner, &x) && !scope_captured_by_value(fn, &x));
  Sym y = {.kind = SYM_LOCAL, .name = intern_cstr("y")};
  scope_declare(inner, &y, 0);
  CHECK(scope_lookup(inner, y.name, SM_VALUE) == &y && spawn_caps.len == 1);
  CHECK(scope_lookup(inner, intern_cstr("print"), SM_VALUE) == NULL);
  const char *dym = scope_suggest(inner, intern_cstr("xx"), SM_VALUE);
  CHECK(dym && !strcmp(dym, "x"));
  /* many names in one scope: the hash index */
  Scope *big = scope_new(SC_MODULE, uni);
  for (int i = 0; i < 500; i++) {
    Sym *s = calloc(1, sizeof *s);
    s->kind = SYM_FN;
    s->name = intern_cstr(arena_printf("f%d", i));
    CHECK(scope_declare(big, s, SM_FN) == NULL);
  }
  Sym dup = {.kind = SYM_FN, .name = intern_cstr("f77")};
  CHECK(scope_declare(big, &dup, SM_FN) != NULL);
  Sym ty = {.kind = SYM_TYPE, .name = intern_cstr("f77")};
  CHECK(scope_declare(big, &ty, 1u << SYM_TYPE) == NULL);            /* kinds do not clash */
  CHECK(scope_find(big, intern_cstr("f77"), SM_FN)->kind == SYM_FN);
  CHECK(scope_find(big, intern_cstr("f499"), SM_FN) != NULL && !scope_find(big, intern_cstr("f500"), SM_FN));
}

static const char *load_bad(const char *sig, const char *cfn) {
  BuiltinRow *rows = calloc(2, sizeof *rows);
  rows[0].sig = sig;
  rows[0].cfn = cfn;
  BuiltinTypeDef *def = calloc(1, sizeof *def);
  def->rows = rows;
  def->file = "bad.c";
  return catalogue_parse_table(def);
}

static void catalogue(void) {
  CHECK(catalogue_load() == NULL);
  BuiltinFn *get = catalogue_method(td_list, intern_cstr("get"), false);
  CHECK(get && get->nparams == 1 && get->ptypes[0] == ty_anyint && get->ret == type_option(td_list->tparams[0]));
  CHECK(catalogue_method(td_channel, intern_cstr("init"), true) && !catalogue_method(td_channel, intern_cstr("init"), false));
  /* a well-formed extra row with many parameters: no limit */
  CHECK(load_bad("many_args(a: Int32, b: Int32, c: Int32, d: Int32, e: Int32, f: Int32) -> Int32", "plat_x") == NULL);
  CHECK(scope_find(catalogue_universe(), intern_cstr("many_args"), SM_FN)->builtin->nparams == 6);
  /* malformed rows are refused with the row and the column */
  const char *e = load_bad("len( -> Int32", "plat_x");
  CHECK(e && strstr(e, "bad.c") && strstr(e, "`len( -> Int32`") && strstr(e, "column 6"));
  e = load_bad("f(x: Strng) -> Int32", "plat_x");
  CHECK(e && strstr(e, "unknown type `Strng`"));
  e = load_bad("g(x: Option<Int32, Bool>)", "plat_x");
  CHECK(e && strstr(e, "`Option` takes 1 type argument"));
  e = load_bad("h(x: Int32, x: Int32)", "plat_x");
  CHECK(e && strstr(e, "declared twice"));
  e = load_bad("k() -> Int32 extra", "plat_x");
  CHECK(e && strstr(e, "unexpected text"));
  e = load_bad("m() -> Int32", NULL);
  CHECK(e && strstr(e, "neither a runtime function nor an emit hook"));
  e = load_bad("print(value: Printable)", "plat_x");
  CHECK(e && strstr(e, "already declared"));
}

static void walker(void) {
  jmp_buf trap;
  Node bogus = {.kind = (NodeKind)999};
  jmp_buf *old = diag_set_ice_trap(&trap);
  int hit = 0;
  fprintf(stderr, "(an internal error is expected next)\n");
  if (setjmp(trap) == 0) ast_children(&bogus, NULL, NULL);
  else hit = 1;
  diag_set_ice_trap(old);
  CHECK(hit);
}

static void diagnostics(void) {
  FileSet fs = {0};
  SrcFile *f = fset_add(&fs, "d.plat", "let x = 1;\nlet \"y\" = 2;\n", 24);
  DiagList l = {0};
  diag_begin(&l);
  diag_error_help((Span){f->base + 15, f->base + 18}, "a \"help\"", "second");
  diag_error((Span){f->base + 4, f->base + 5}, "first");
  diag_error((Span){f->base + 4, f->base + 5}, "first");            /* repeated: kept once */
  diag_begin(NULL);
  diag_sort(&l, &fs);
  CHECK(l.len == 2 && l.errors == 2 && !strcmp(l.items[0].msg, "first"));
  char buf[2048] = {0};
  FILE *m = fmemopen(buf, sizeof buf - 1, "w");
  diag_print_json(m, &l, &fs);
  fclose(m);
  CHECK(strstr(buf, "{\"file\": \"d.plat\", \"line\": 1, \"column\": 5, \"end_line\": 1, \"end_column\": 6, "
                    "\"severity\": \"error\", \"message\": \"first\", \"help\": null}"));
  CHECK(strstr(buf, "\"line\": 2, \"column\": 5, \"end_line\": 2, \"end_column\": 8") &&
        strstr(buf, "\"help\": \"a \\\"help\\\"\""));
  diag_list_free(&l);
}

int main(void) {
  const char *err = catalogue_load();
  if (err) { fprintf(stderr, "catalogue: %s\n", err); return 1; }
  fileset();
  comments();
  types();
  scopes();
  catalogue();
  walker();
  diagnostics();
  if (failures) { fprintf(stderr, "test_front: %d failure(s)\n", failures); return 1; }
  puts("test_front: ok");
  return 0;
}
