/* fn_file.c -- the file built-ins (LANGUAGE.md 6, docs/IO.md): blocking
 * calls run off the worker threads (runtime/file.c). */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"file_open(path: String, mode: String) -> Result<Int32, String>", .cfn = "plat_file_open"},
  {"file_read(fd: Int32, max_bytes: AnyInt) -> Result<String, String>", .cfn = "plat_file_read"},
  {"file_read_all(path: String) -> Result<String, String>", .cfn = "plat_file_read_all"},
  {"file_write(fd: Int32, data: String) -> Result<Int32, String>", .cfn = "plat_file_write"},
  {"file_close(fd: Int32) -> Result<Bool, String>", .cfn = "plat_file_close"},
  {"file_exists(path: String) -> Bool", .cfn = "plat_file_exists"},
  {"file_size(path: String) -> Result<Int64, String>", .cfn = "plat_file_size"},
  {"file_delete(path: String) -> Result<Bool, String>", .cfn = "plat_file_delete"},
  {"dir_list(path: String) -> Result<List<String>, String>", .cfn = "plat_dir_list"},
  {NULL},
};

const BuiltinTypeDef bt_fn_file = {.rows = rows, .file = __FILE__};
