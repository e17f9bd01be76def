/* diag.h -- compiler diagnostics.
 *
 * Every error names file:line:col, shows the source line with a caret
 * under the span, the message, and an optional `help:` line.  Colour is
 * used only when stderr is a terminal and NO_COLOR is unset.  Errors are
 * printed as they are reported (in source order within a pass).
 */
#ifndef PLAT_DIAG_H
#define PLAT_DIAG_H

#include "ast.h"

void diag_init(const char *path, const char *src, size_t len);
/* Report an error at `span`.  Returns nothing; the pass carries on. */
void diag_error(Span span, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with a help line (`help` may be NULL). */
void diag_error_help(Span span, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int diag_error_count(void);
/* Keep reports from now on; diag_flush prints them sorted by position. */
void diag_hold(void);
void diag_flush(void);
/* Count errors without printing them (the fuzz target uses it). */
void diag_set_quiet(bool quiet);
/* 1-based line and column (in code points) of a byte offset. */
void diag_line_col(uint32_t off, int *line, int *col);
/* Convert a name to snake_case / TitleCase (for naming-convention help). */
const char *diag_snake_case(const char *name);
const char *diag_title_case(const char *name);
/* The candidate closest to `name` by edit distance, or NULL if none is close. */
const char *diag_did_you_mean(const char *name, const char *const *cands, int n);

#endif
