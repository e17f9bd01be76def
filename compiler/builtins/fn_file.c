/* fn_file.c -- the file built-ins (LANGUAGE.md 6, docs/IO.md): blocking
 * calls run off the worker threads (runtime/file.c). */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"file_open(path: String, mode: String) -> Result<Int32, String>", .cfn = "plat_file_open", .flags = BR_WAITS},
  {"file_read(fd: Int32, max_bytes: AnyInt) -> Result<String, String>", .cfn = "plat_file_read", .flags = BR_WAITS},
  {"file_read_all(path: String) -> Result<String, String>", .cfn = "plat_file_read_all", .flags = BR_WAITS},
  {"file_write(fd: Int32, data: String) -> Result<Int32, String>", .cfn = "plat_file_write", .flags = BR_WAITS},
  {"file_close(fd: Int32) -> Result<Bool, String>", .cfn = "plat_file_close", .flags = BR_WAITS},
  {"file_exists(path: String) -> Bool", .cfn = "plat_file_exists", .flags = BR_WAITS},
  {"file_size(path: String) -> Result<Int64, String>", .cfn = "plat_file_size", .flags = BR_WAITS},
  {"file_delete(path: String) -> Result<Bool, String>", .cfn = "plat_file_delete", .flags = BR_WAITS},
  {"dir_list(path: String) -> Result<List<String>, String>", .cfn = "plat_dir_list", .flags = BR_WAITS},
  {NULL},
};

const BuiltinTypeDef bt_fn_file = {.rows = rows, .file = __FILE__};
