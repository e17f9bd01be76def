/* fn_net.c -- the TCP built-ins (LANGUAGE.md 6 and 8.6, docs/IO.md): a
 * blocked socket parks the task on the poller (runtime/net.c). */
#include "../emit_int.h"

static const BuiltinRow rows[] = {
  {"tcp_listen(host: String, port: Int32) -> Result<Int32, String>", .cfn = "plat_tcp_listen", .flags = BR_WAITS},
  {"tcp_accept(listener: Int32) -> Result<Int32, String>", .cfn = "plat_tcp_accept", .flags = BR_WAITS},
  {"tcp_connect(host: String, port: Int32) -> Result<Int32, String>", .cfn = "plat_tcp_connect", .flags = BR_WAITS},
  {"tcp_read(socket: Int32, max_bytes: AnyInt) -> Result<String, String>", .cfn = "plat_tcp_read", .flags = BR_WAITS},
  {"tcp_write(socket: Int32, data: String) -> Result<Int32, String>", .cfn = "plat_tcp_write", .flags = BR_WAITS},
  {"tcp_close(socket: Int32) -> Result<Bool, String>", .cfn = "plat_tcp_close", .flags = BR_WAITS},
  {"tcp_local_port(socket: Int32) -> Result<Int32, String>", .cfn = "plat_tcp_local_port", .flags = BR_WAITS},
  {NULL},
};

const BuiltinTypeDef bt_fn_net = {.rows = rows, .file = __FILE__};
