/* diag.h -- compiler diagnostics as data.
 *
 * A pass reports a diagnostic with diag_error(span, ...): it is appended
 * to the current DiagList (owned by the compile session, see
 * diag_begin) and the pass carries on.  Nothing is printed while a pass
 * runs; the driver prints the list at the end, sorted by position (file
 * order in the FileSet, then offset, then report order), with one of two
 * printers:
 *
 *   text   FILE:LINE:COL: error: MESSAGE, the source line, a caret under
 *          the span and an optional `help:` line (colour per DiagColor);
 *   json   one JSON array of objects {file, line, column, end_line,
 *          end_column, severity, message, help} (help: null when absent).
 *
 * LINE and COL are 1-based and COL counts code points.  The same
 * diagnostic (same span, message and help) reported twice is kept once.
 */
#ifndef PLAT_DIAG_H
#define PLAT_DIAG_H

#include <setjmp.h>
#include <stdio.h>

#include "fileset.h"

typedef enum Severity { SEV_ERROR, SEV_WARNING } Severity;

typedef struct Diag {
  Severity sev;
  Span span;
  const char *msg;
  const char *help;          /* NULL when there is none */
  int seq;                   /* report order (ties in sorting) */
} Diag;

typedef struct DiagList {
  Diag *items;               /* malloc'ed; freed by diag_list_free */
  int len, cap;
  int errors;
} DiagList;

/* Reports go to `list` from now on (NULL: they are counted in a private
 * list).  Returns the previous one. */
DiagList *diag_begin(DiagList *list);
void diag_list_free(DiagList *list);

/* Report an error at `span`; the pass carries on. */
void diag_error(Span span, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with a help line (`help` may be NULL). */
void diag_error_help(Span span, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Errors reported to the current list so far. */
int diag_error_count(void);

/* Sort a list into source order and drop repeated diagnostics. */
void diag_sort(DiagList *list, const FileSet *fs);

typedef enum DiagColor { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } DiagColor;
/* Should text diagnostics on file descriptor fd be coloured?  AUTO: only
 * on a terminal, never when NO_COLOR is set to a non-empty value or
 * TERM is `dumb`. */
bool diag_use_color(DiagColor mode, int fd);
/* Print a sorted list; at most DIAG_MAX_SHOWN are shown as text (the rest
 * are counted).  The JSON printer prints all of them. */
#define DIAG_MAX_SHOWN 100
void diag_print_text(FILE *out, const DiagList *list, const FileSet *fs, bool color);
void diag_print_json(FILE *out, const DiagList *list, const FileSet *fs);

/* An internal compiler error: a bug in the compiler, never the user's
 * fault.  Prints "plat: internal compiler error: MESSAGE" to stderr and
 * longjmps to the trap set with diag_set_ice_trap (the driver returns an
 * internal-error status from there), or aborts when none is set. */
__attribute__((noreturn, format(printf, 1, 2))) void diag_ice(const char *fmt, ...);
/* Returns the previous trap. */
jmp_buf *diag_set_ice_trap(jmp_buf *trap);

/* Convert a name to snake_case / TitleCase (for naming-convention help). */
const char *diag_snake_case(const char *name);
const char *diag_title_case(const char *name);
/* The candidate closest to `name` by edit distance, or NULL if none is
 * close.  NULL entries and `name` itself are skipped. */
const char *diag_did_you_mean(const char *name, const char *const *cands, int n);

#endif
