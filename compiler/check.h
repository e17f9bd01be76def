/* check.h -- the checker: names, types, named arguments, captures, scopes.
 *
 * check_program annotates the tree (Node.ty, Node.sym, Node.sema,
 * Decl.sema) and reports every error through diag.h.  After it returns
 * true the emitter may assume a well-typed program.
 */
#ifndef PLAT_CHECK_H
#define PLAT_CHECK_H

#include "ast.h"

/* test_mode: `test` blocks are checked and compiled (plat test). */
bool check_program(Program *p, bool test_mode);

#endif
