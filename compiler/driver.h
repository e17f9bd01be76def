/* driver.h -- the `plat` driver as a library (main.c parses the command
 * line and exits with what the commands return).
 *
 *   drv_cmds.c     the commands: check, build, run, test, clean, env
 *   drv_front.c    a compile session: the front end, diagnostics, the C
 *   drv_files.c    reading sources (bounded), placing the executable
 *                  (never over the source, atomically), temporary files
 *                  removed on every way out, signals included
 *   drv_cc.c       locating the runtime, the C compiler's command line,
 *                  running it
 *   drv_cache.c    the run/test cache: content-addressed executables,
 *                  LRU size bound, `plat clean`
 *
 * Exit statuses: 1 for errors in the user's input or environment (compile
 * errors, unreadable source, bad output path), 2 for usage errors, 70 for
 * internal errors (the C compiler rejecting generated code).
 *
 * Errors return: nothing here calls exit().  Every entry point (the drv_cmd_*
 * functions) runs under drv_protect; a helper that meets an error prints
 * it (drv_fail, drv_die) and unwinds to the entry point, which returns the
 * status -- as does an internal compiler error (diag_ice).  Temporaries are
 * registered, so an unwound build leaves none behind at process exit.
 */
#ifndef PLAT_DRIVER_H
#define PLAT_DRIVER_H

#include "diag.h"
#include "util.h"

#include <stdio.h>
#include <sys/types.h>

enum { EXIT_COMPILE = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 70 };

#define PLAT_VERSION "0.1.0"
/* The largest source file the compiler reads (documented in GUIDE.md). */
#define PLAT_MAX_SOURCE ((size_t)16 << 20)

/* ---- drv_cmds.c: the commands (each returns 0 or an exit status) ---- */
typedef struct BuildOpts {
  bool debug_info;            /* -g */
  bool unoptimised;           /* --debug: -O0 */
} BuildOpts;

typedef struct DriverOpts {
  DiagColor color;            /* text diagnostics on stderr */
  bool json;                  /* check: diagnostics as JSON on stdout */
  BuildOpts build;
} DriverOpts;
int drv_cmd_check(const char *file, const DriverOpts *o);
int drv_cmd_build(const char *file, const char *out, const DriverOpts *o);
/* Build (cached) and run FILE, or its tests; returns only on failure. */
int drv_cmd_run(const char *file, bool test_mode, char **args, int nargs, const DriverOpts *o);
int drv_cmd_clean(void);
int drv_cmd_env(void);

/* ---- drv_front.c: one compilation of one program ---- */
typedef struct Session {
  Arena arena;                /* everything the front end allocates */
  FileSet fset;
  DiagList diags;
  struct Program *prog;
} Session;
/* Parse and check `src` (diagnostics in s->diags, sorted); returns the
 * number of errors.  The catalogue must be loaded (catalogue_load). */
int session_front(Session *s, const char *path, const char *src, size_t len, bool test_mode);
/* The C of a checked program. */
Buf session_emit(Session *s, bool test_mode);
void session_end(Session *s);
/* Print s's diagnostics: JSON on stdout, or text on stderr. */
void session_report(Session *s, const DriverOpts *o);

/* ---- drv_files.c ---- */
/* Run body(ctx) as an entry point: errors unwind to here; returns body's
 * result or the error's status. */
int drv_protect(int (*body)(void *ctx), void *ctx);
__attribute__((noreturn, format(printf, 1, 2))) void drv_fail(const char *fmt, ...);
__attribute__((noreturn, format(printf, 2, 3))) void drv_die(int status, const char *fmt, ...);
/* Unwind with `status` (the message is already printed). */
__attribute__((noreturn)) void drv_fail_status(int status);
/* The whole file, NUL-terminated; at most PLAT_MAX_SOURCE bytes, whatever
 * the file is (regular, pipe, device).  Exits 1 with the reason. */
char *drv_read_source(const char *path, size_t *len);
/* Reads a whole regular file (for hashing); NULL with errno on failure. */
char *drv_slurp(const char *path, size_t *len);
bool drv_write_file(const char *path, const char *data, size_t len);

/* Temporaries: registered paths are removed at exit and on SIGINT, SIGTERM,
 * SIGHUP or a crash signal (then the signal is re-raised); a registered
 * child (the C compiler) is killed with its process group. */
void drv_temp_init(void);
void drv_temp_file(const char *path);
void drv_temp_dir(const char *path);
void drv_temp_forget(const char *path);
void drv_temp_child(pid_t pid);
/* A fresh directory under $TMPDIR (or /tmp), registered. */
const char *drv_make_temp_dir(void);
bool drv_keep_c(void);                    /* PLAT_KEEP_C set: keep the C */

/* The executable's destination.  drv_output_begin checks `out` (not the
 * source, not a directory, not a non-executable file, its directory
 * writable) and returns a temporary path next to it for the C compiler;
 * drv_output_commit renames it into place.  Errors exit 1 naming `out`. */
const char *drv_output_begin(const char *out, const char *src, bool defaulted);
void drv_output_commit(const char *tmp, const char *out);

/* ---- drv_cc.c ---- */
typedef struct Toolchain {
  const char *cc;
  const char *home;           /* the runtime directory found (plat env) */
  const char *how;            /* how it was found */
  const char *include_dir;    /* runtime headers */
  const char *rtlib;          /* libplatrt.a */
  const char *gclib;          /* libgc.a, linked statically */
  const char *variant;        /* NULL, "asan" or "tsan" */
} Toolchain;


Toolchain find_toolchain(void);
/* The C compiler's arguments between `cc` and `-o`: they decide the code. */
int cc_flags(const Toolchain *t, const BuildOpts *o, const char **argv, int max);
/* Compile the C text to the executable `out` (a path drv_output_begin or
 * the cache gave).  C compiler failure: internal error, exit 70. */
void cc_build(const Toolchain *t, const BuildOpts *o, const Buf *c, const char *out);

/* ---- drv_cache.c ---- */
/* The cache directory, or NULL when there is none (no HOME). */
const char *cache_dir(void);
/* An open descriptor of the cached executable for `path` (source `src`),
 * building it on a miss; `*exe` gets a path naming it. */
int cache_get(const Toolchain *t, const char *path, const char *src, size_t len, bool test_mode,
              Buf (*emit)(void *ctx, const char *path, const char *src, size_t len, bool test_mode),
              void *ctx, const char **exe);
int cache_clean(void);
void cache_describe(FILE *f);

#endif
