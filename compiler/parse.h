/* parse.h -- lexer and parser entry point. */
#ifndef PLAT_PARSE_H
#define PLAT_PARSE_H

#include "ast.h"

/* Parse a whole file: it is added to `fs` (src must stay valid and have
 * a NUL at src[len]).  Syntax errors are reported through diag.h and the
 * parser recovers (several errors per run); the result is always a
 * Program, possibly partial.  Callers check diag_error_count(). */
Program *parse_program(FileSet *fs, const char *path, const char *src, size_t len);

#endif
