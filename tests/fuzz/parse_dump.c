/* parse_dump.c -- parse-only tool: parse FILE, print diagnostics and an
 * S-expression dump of the tree (one node per line, indented).  Used to
 * test the front end before and independently of the checker:
 *
 *   cc -std=gnu11 -o parse_dump tests/fuzz/parse_dump.c compiler/util.c \
 *      compiler/fileset.c compiler/ast.c compiler/lex.c compiler/diag.c compiler/parse*.c -lm
 *   ./parse_dump FILE [-q]
 *
 * Exit status: 0 if the file parsed without errors, 1 otherwise.
 * `-q` prints only the diagnostics.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../compiler/diag.h"
#include "../../compiler/parse.h"

static FileSet fset;   /* the one file being dumped */

static void ind(int d) { for (int i = 0; i < d; i++) fputs("  ", stdout); }

static void type(const TypeExpr *t) {
  if (!t) { fputs("_", stdout); return; }
  fputs(t->name, stdout);
  if (t->args.len) {
    fputc('<', stdout);
    for (int i = 0; i < t->args.len; i++) { if (i) fputs(", ", stdout); type(t->args.items[i]); }
    fputc('>', stdout);
  }
}


static void node(const Node *n, int d);

static void child(const char *label, const Node *n, int d) {
  if (!n) return;
  ind(d); printf("%s:\n", label);
  node(n, d + 1);
}

static void node(const Node *n, int d) {
  Location at = fset_locate(&fset, n->span.lo);
  ind(d);
  printf("%s@%d:%d", ast_kind_name(n->kind), at.line, at.col);
  if (n->semi) fputs(" ;", stdout);
  switch (n->kind) {
  case N_INT: printf(" %llu%s", (unsigned long long)n->int_val, n->suffix); break;
  case N_FLOAT: printf(" %g%s", n->float_val, n->suffix); break;
  case N_STRING: fputs(" \"", stdout); fwrite(n->str, 1, n->str_len, stdout); fputc('"', stdout); break;
  case N_BOOL: fputs(n->bool_val ? " true" : " false", stdout); break;
  case N_IDENT: printf(" %s", n->name); if (n->type) { fputs(" type=", stdout); type(n->type); } break;
  case N_PATH: fputc(' ', stdout); type(n->path_type); printf("::%s", n->name); break;
  case N_FIELD: printf(" .%s", n->name); break;
  case N_UNARY: case N_BINARY: printf(" %s", n->op == OP_NEG ? "neg" : op_text(n->op)); break;
  case N_LET: printf(" %s %s: ", n->is_var ? "var" : "let", n->name); type(n->type); break;
  case N_FOR: printf(" %s: ", n->name); type(n->type); break;
  case N_CAST: fputs(" -> ", stdout); type(n->type); break;
  case N_RANGE: if (n->inclusive) fputs(" inclusive", stdout); break;
  default: break;
  }
  fputc('\n', stdout);
  child("lhs", n->lhs, d + 1);
  child("rhs", n->rhs, d + 1);
  child("cond", n->cond, d + 1);
  child("then", n->then, d + 1);
  child("else", n->els, d + 1);
  child("iter", n->iter, d + 1);
  child("body", n->body, d + 1);
  for (int i = 0; i < n->items.len; i++) node(n->items.items[i], d + 1);
  for (int i = 0; i < n->parts.len; i++) node(n->parts.items[i], d + 1);
  for (int i = 0; i < n->args.len; i++) {
    ind(d + 1); printf("arg %s:\n", n->args.items[i].name ? n->args.items[i].name : "<positional>");
    node(n->args.items[i].value, d + 2);
  }
  for (int i = 0; i < n->arms.len; i++) {
    const Pattern *p = n->arms.items[i].pat;
    ind(d + 1);
    if (p->kind == PAT_WILDCARD) fputs("arm _", stdout);
    else if (p->kind == PAT_LITERAL) fputs("arm literal", stdout);
    else {
      fputs("arm ", stdout);
      if (p->enum_type) type(p->enum_type); else fputs(p->enum_name, stdout);
      printf("::%s", p->variant);
      if (p->has_parens) {
        fputc('(', stdout);
        for (int j = 0; j < p->bindings.len; j++) {
          if (j) fputs(", ", stdout);
          printf("%s: ", p->bindings.items[j].name);
          type(p->bindings.items[j].type);
        }
        fputc(')', stdout);
      }
    }
    fputc('\n', stdout);
    if (p->lit) node(p->lit, d + 2);
    node(n->arms.items[i].body, d + 2);
  }
  static const char *const sk[] = {"recv", "send", "timeout", "default"};
  for (int i = 0; i < n->sel_arms.len; i++) {
    const SelectArm *a = &n->sel_arms.items[i];
    ind(d + 1); printf("select %s", sk[a->kind]);
    if (a->bind_name) { printf(" %s: ", a->bind_name); type(a->bind_type); }
    fputc('\n', stdout);
    child("chan", a->chan, d + 2);
    child("value", a->value, d + 2);
    child("body", a->body, d + 2);
  }
}

static void decl(const Decl *dc, int d) {
  static const char *const dk[] = {"fn", "enum", "class", "test"};
  ind(d);
  printf("%s%s %s", dc->is_pub ? "pub " : "", dk[dc->kind], dc->name);
  for (int i = 0; i < dc->type_params.len; i++) printf("%s%s", i ? ", " : "<", dc->type_params.items[i].name);
  if (dc->type_params.len) fputc('>', stdout);
  if (dc->kind == D_FN) {
    fputc('(', stdout);
    for (int i = 0; i < dc->params.len; i++) {
      if (i) fputs(", ", stdout);
      printf("%s: ", dc->params.items[i].name);
      type(dc->params.items[i].type);
      if (dc->params.items[i].default_value) fputs(" = ...", stdout);
    }
    fputs(") -> ", stdout);
    type(dc->ret);
  }
  fputc('\n', stdout);
  for (int i = 0; i < dc->params.len; i++)
    if (dc->params.items[i].default_value) child(dc->params.items[i].name, dc->params.items[i].default_value, d + 1);
  for (int i = 0; i < dc->variants.len; i++) {
    const Variant *v = &dc->variants.items[i];
    ind(d + 1); printf("variant %s%s", v->name, v->has_parens ? "(" : "");
    for (int j = 0; j < v->fields.len; j++) {
      if (j) fputs(", ", stdout);
      printf("%s: ", v->fields.items[j].name);
      type(v->fields.items[j].type);
    }
    printf("%s\n", v->has_parens ? ")" : "");
  }
  for (int i = 0; i < dc->fields.len; i++) {
    const Field *f = &dc->fields.items[i];
    ind(d + 1); printf("field %s%s %s: ", f->is_pub ? "pub " : "", f->is_var ? "var" : "let", f->name);
    type(f->type); fputc('\n', stdout);
  }
  for (int i = 0; i < dc->methods.len; i++) decl(dc->methods.items[i], d + 1);
  for (int i = 0; i < dc->fns.len; i++) decl(dc->fns.items[i], d + 1);
  if (dc->body) node(dc->body, d + 1);
}

int main(int argc, char **argv) {
  if (argc < 2) { fputs("usage: parse_dump FILE [-q]\n", stderr); return 2; }
  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror(argv[1]); return 2; }
  Buf b = {0};
  char chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_put(&b, chunk, n);
  fclose(f);
  buf_put(&b, "", 0);
  DiagList diags = {0};
  diag_begin(&diags);
  Program *p = parse_program(&fset, argv[1], b.data, b.len);
  diag_sort(&diags, &fset);
  diag_print_text(stderr, &diags, &fset, false);
  if (argc < 3) for (int i = 0; i < p->decls.len; i++) decl(p->decls.items[i], 0);
  return diags.errors ? 1 : 0;
}
