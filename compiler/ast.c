/* ast.c -- the one walker over the syntax tree, and node kind names.
 *
 * ast_children() visits the node children of a node in source order.  Its
 * switch names every NodeKind; the default is an internal compiler error,
 * so a node kind added to ast.h and forgotten here fails loudly the first
 * time it is walked (never a silent skip or an endless recursion).  Passes
 * that only need "every node under n" use it instead of their own lists.
 */
#include "ast.h"

#include "diag.h"

static void visit(Node *c, AstVisit fn, void *ctx) {
  if (c) fn(c, ctx);
}

static void visit_all(VecNode *v, AstVisit fn, void *ctx) {
  for (int i = 0; i < v->len; i++) visit(v->items[i], fn, ctx);
}

void ast_children(Node *n, AstVisit fn, void *ctx) {
  switch (n->kind) {
  case N_INT: case N_FLOAT: case N_STRING: case N_BOOL: case N_IDENT: case N_PATH:
  case N_BREAK: case N_CONTINUE:
    return;
  case N_INTERP: visit_all(&n->parts, fn, ctx); return;
  case N_LIST: case N_BLOCK: case N_RACE: visit_all(&n->items, fn, ctx); return;
  case N_FIELD: case N_TRY: case N_UNARY: case N_CAST: case N_RETURN: visit(n->lhs, fn, ctx); return;
  case N_INDEX: case N_BINARY: case N_ASSIGN: case N_RANGE:
    visit(n->lhs, fn, ctx);
    visit(n->rhs, fn, ctx);
    return;
  case N_CALL:
    visit(n->lhs, fn, ctx);
    for (int i = 0; i < n->args.len; i++) visit(n->args.items[i].value, fn, ctx);
    return;
  case N_IF:
    visit(n->cond, fn, ctx);
    visit(n->then, fn, ctx);
    visit(n->els, fn, ctx);
    return;
  case N_MATCH:
    visit(n->lhs, fn, ctx);
    for (int i = 0; i < n->arms.len; i++) {
      Pattern *p = n->arms.items[i].pat;
      if (p) visit(p->lit, fn, ctx);
      visit(n->arms.items[i].body, fn, ctx);
    }
    return;
  case N_WHILE:
    visit(n->cond, fn, ctx);
    visit(n->body, fn, ctx);
    return;
  case N_FOR:
    visit(n->iter, fn, ctx);
    visit(n->body, fn, ctx);
    return;
  case N_LET: visit(n->rhs, fn, ctx); return;
  case N_LOOP: case N_DEFER: case N_CONCURRENT: case N_SPAWN: visit(n->body, fn, ctx); return;
  case N_WITH_TIMEOUT:
    visit(n->lhs, fn, ctx);
    visit(n->body, fn, ctx);
    return;
  case N_SELECT:
    for (int i = 0; i < n->sel_arms.len; i++) {
      SelectArm *a = &n->sel_arms.items[i];
      visit(a->chan, fn, ctx);
      visit(a->value, fn, ctx);
      visit(a->body, fn, ctx);
    }
    return;
  }
  diag_ice("ast_children: unknown node kind %d", (int)n->kind);
}

const char *ast_kind_name(NodeKind k) {
  switch (k) {
  case N_INT: return "INT";
  case N_FLOAT: return "FLOAT";
  case N_STRING: return "STRING";
  case N_INTERP: return "INTERP";
  case N_BOOL: return "BOOL";
  case N_LIST: return "LIST";
  case N_IDENT: return "IDENT";
  case N_PATH: return "PATH";
  case N_FIELD: return "FIELD";
  case N_INDEX: return "INDEX";
  case N_CALL: return "CALL";
  case N_CAST: return "CAST";
  case N_TRY: return "TRY";
  case N_UNARY: return "UNARY";
  case N_BINARY: return "BINARY";
  case N_ASSIGN: return "ASSIGN";
  case N_BLOCK: return "BLOCK";
  case N_IF: return "IF";
  case N_MATCH: return "MATCH";
  case N_WHILE: return "WHILE";
  case N_LOOP: return "LOOP";
  case N_FOR: return "FOR";
  case N_RANGE: return "RANGE";
  case N_BREAK: return "BREAK";
  case N_CONTINUE: return "CONTINUE";
  case N_RETURN: return "RETURN";
  case N_LET: return "LET";
  case N_DEFER: return "DEFER";
  case N_CONCURRENT: return "CONCURRENT";
  case N_SPAWN: return "SPAWN";
  case N_RACE: return "RACE";
  case N_WITH_TIMEOUT: return "WITH_TIMEOUT";
  case N_SELECT: return "SELECT";
  }
  diag_ice("ast_kind_name: unknown node kind %d", (int)k);
}

const char *op_text(Op op) {
  switch (op) {
  case OP_ADD: return "+";
  case OP_SUB: case OP_NEG: return "-";
  case OP_MUL: return "*";
  case OP_DIV: return "/";
  case OP_REM: return "%";
  case OP_EQ: return "==";
  case OP_NE: return "!=";
  case OP_LT: return "<";
  case OP_LE: return "<=";
  case OP_GT: return ">";
  case OP_GE: return ">=";
  case OP_AND: return "and";
  case OP_OR: return "or";
  case OP_NOT: return "not";
  }
  diag_ice("op_text: unknown operator %d", (int)op);
}

bool op_is_arith(Op op) {
  return op == OP_ADD || op == OP_SUB || op == OP_MUL || op == OP_DIV || op == OP_REM;
}
