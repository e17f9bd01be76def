/* fileset.h -- source positions across files (as Go's token.FileSet).
 *
 * Every source file the compiler reads is added to one FileSet, which
 * gives it a range of positions: byte i of the file is position
 * base + i, and the ranges of two files never overlap.  A Span is a pair
 * of positions, so every span knows its file: fset_locate() finds the
 * file by binary search over the bases and the line by binary search over
 * that file's line starts.  Position 0 is "no position" (the first file's
 * base is 1).
 *
 * A SrcFile also keeps the `//` comments the lexer saw, in source order,
 * on a side list (the tree does not hold them; a formatter will).
 *
 * Ownership: a FileSet and its files live in the arena of the compile
 * session that made them; the source text is the caller's.
 */
#ifndef PLAT_FILESET_H
#define PLAT_FILESET_H

#include "util.h"

typedef uint32_t Pos;                       /* 0: no position */
typedef struct Span { Pos lo, hi; } Span;   /* [lo, hi) */

typedef struct Comment { Span span; } Comment;   /* `// ...` up to the newline */

typedef struct SrcFile {
  const char *path;          /* as given on the command line */
  const char *src;           /* the text; src[len] is readable (NUL) */
  uint32_t len;
  Pos base;                  /* position of byte 0 */
  uint32_t *line_starts;     /* byte offset of each line's first byte */
  int nlines;
  VEC(Comment) comments;
} SrcFile;

typedef struct FileSet {
  VEC(SrcFile *) files;      /* by increasing base */
  Pos next_base;
} FileSet;

/* Add a file; NULL when the set has no room left for its positions
 * (4 GiB of source in all). */
SrcFile *fset_add(FileSet *fs, const char *path, const char *src, size_t len);
/* The file holding `pos`, or NULL (position 0, or not in the set). */
SrcFile *fset_file(const FileSet *fs, Pos pos);

typedef struct Location {
  SrcFile *file;             /* NULL: no position */
  int line, col;             /* 1-based; col counts code points */
  uint32_t offset;           /* byte offset in the file */
} Location;
Location fset_locate(const FileSet *fs, Pos pos);
/* Just the file and line (no column: cheaper, for #line). */
Location fset_locate_line(const FileSet *fs, Pos pos);
/* The same within a known file (no search over the files). */
Location file_locate(SrcFile *f, Pos pos);
/* The span of a whole file's first byte (errors about the file itself). */
Span file_start(const SrcFile *f);

#endif
