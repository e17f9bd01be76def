/* fileset.c -- positions across files.  See fileset.h. */
#include "fileset.h"

SrcFile *fset_add(FileSet *fs, const char *path, const char *src, size_t len) {
  if (!fs->next_base) fs->next_base = 1;
  /* +1: a span may end one past the last byte (end of file) */
  if (len >= UINT32_MAX - 1 || (uint64_t)fs->next_base + len + 1 > UINT32_MAX) return NULL;
  SrcFile *f = arena_alloc(sizeof *f);
  f->path = path;
  f->src = src;
  f->len = (uint32_t)len;
  f->base = fs->next_base;
  fs->next_base += (Pos)len + 1;
  int n = 1;
  for (size_t i = 0; i < len; i++) n += src[i] == '\n';
  f->line_starts = arena_alloc(sizeof *f->line_starts * (size_t)n);
  f->line_starts[f->nlines++] = 0;
  for (size_t i = 0; i < len; i++)
    if (src[i] == '\n') f->line_starts[f->nlines++] = (uint32_t)(i + 1);
  vec_push(&fs->files, f);
  return f;
}

SrcFile *fset_file(const FileSet *fs, Pos pos) {
  if (!fs || pos == 0) return NULL;
  int lo = 0, hi = fs->files.len - 1;
  while (lo <= hi) {                       /* last file whose base <= pos */
    int mid = (lo + hi) / 2;
    if (fs->files.items[mid]->base <= pos) lo = mid + 1; else hi = mid - 1;
  }
  if (hi < 0) return NULL;
  SrcFile *f = fs->files.items[hi];
  return pos - f->base <= f->len ? f : NULL;
}

static bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

static Location locate(SrcFile *f, Pos pos, bool with_col) {
  Location l = {0};
  if (!f || pos < f->base) return l;
  uint32_t off = pos - f->base;
  if (off > f->len) off = f->len;
  int lo = 0, hi = f->nlines - 1;
  while (lo < hi) {                        /* last line start <= off */
    int mid = (lo + hi + 1) / 2;
    if (f->line_starts[mid] <= off) lo = mid; else hi = mid - 1;
  }
  int col = 1;
  for (uint32_t i = f->line_starts[lo]; with_col && i < off; i++) col += !is_cont((unsigned char)f->src[i]);
  l.file = f;
  l.line = lo + 1;
  l.col = col;
  l.offset = off;
  return l;
}

Location file_locate(SrcFile *f, Pos pos) { return locate(f, pos, true); }
Location fset_locate(const FileSet *fs, Pos pos) { return locate(fset_file(fs, pos), pos, true); }
Location fset_locate_line(const FileSet *fs, Pos pos) { return locate(fset_file(fs, pos), pos, false); }

Span file_start(const SrcFile *f) { return (Span){f->base, f->base}; }
