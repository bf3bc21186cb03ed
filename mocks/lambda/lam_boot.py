# lam_boot.py - stepbench's Python runtime shim: import the handler, call it once, answer on fd 3.
#
# argv: request_id deadline_ms(epoch) invoked_arn client_context_json site_dirs
# (python runs with -S -B: site-packages come from site_dirs without their
# .pth files, which keeps start-up short; no .pyc is written)
# env:  _HANDLER, LAMBDA_TASK_ROOT and the variables Lambda defines.
# The event is stdin. The answer on fd 3 is "OK\n<json>" or "ERR\n<json>";
# stdout and stderr are the invocation's log. Embedded into the binary as
# lam_boot.c (mocks/lambda/gen_boot.sh).
import importlib
import json
import os
import sys
import time


class _ClientContext(object):
    def __init__(self, raw):
        self.client = raw.get("client")
        self.custom = raw.get("custom")
        self.env = raw.get("env")


class LambdaContext(object):
    def __init__(self, request_id, deadline_ms, arn, client_context):
        self.aws_request_id = request_id
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = _ClientContext(client_context) if isinstance(client_context, dict) else None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


def _as_lambda_paths(lines):
    """Stack entries name files as Lambda shows them: under /var/task."""
    root = os.environ["LAMBDA_TASK_ROOT"]
    return [l.replace(root, "/var/task") for l in lines]


def _stack(tb, skip):
    import traceback  # only when something failed: it is slow to import
    return _as_lambda_paths(traceback.format_list(traceback.extract_tb(tb)[skip:]))


def main():
    request_id, deadline_ms, arn, cc_text = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    for d in sys.argv[5].split(os.pathsep) if len(sys.argv) > 5 else []:
        if d and d not in sys.path:
            sys.path.append(d)
    handler = os.environ.get("_HANDLER", "")
    out = os.fdopen(3, "w", encoding="utf-8")

    def answer(kind, text):
        out.write(kind + "\n" + text)
        out.flush()

    def fail(error_type, message, stack=None):
        body = {"errorMessage": message, "errorType": error_type, "requestId": request_id,
                "stackTrace": stack or []}
        print("[ERROR] %s: %s" % (error_type, message), flush=True)
        answer("ERR", json.dumps(body))

    raw = sys.stdin.buffer.read()
    try:
        event = json.loads(raw) if raw.strip() else {}
    except ValueError as e:
        fail("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e)
        return
    try:
        cc = json.loads(cc_text) if cc_text else None
    except ValueError:
        cc = None
    sys.path.insert(0, os.environ["LAMBDA_TASK_ROOT"])
    module_name, _, fn_name = handler.rpartition(".")
    if not module_name or not fn_name:
        fail("Runtime.MalformedHandlerName",
             "Bad handler '%s': not enough values to unpack (expected 2, got 1)" % handler)
        return
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as e:
        fail("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_name, e))
        return
    except SyntaxError as e:
        fail("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_name, e))
        return
    except Exception as e:
        fail(type(e).__name__, str(e), _stack(e.__traceback__, 1))
        return
    fn = getattr(module, fn_name, None)
    if fn is None:
        fail("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fn_name, module_name))
        return
    context = LambdaContext(request_id, deadline_ms, arn, cc)
    try:
        result = fn(event, context)
    except Exception as e:
        stack = _stack(e.__traceback__, 1)
        print("[ERROR] %s: %s\nTraceback (most recent call last):\n%s" % (type(e).__name__, e, "".join(stack)),
              end="", flush=True)
        body = {"errorMessage": str(e), "errorType": type(e).__name__, "requestId": request_id,
                "stackTrace": stack}
        answer("ERR", json.dumps(body))
        return
    try:
        text = json.dumps(result)
    except Exception as e:
        fail("Runtime.MarshalError", "Unable to marshal response: %s" % e)
        return
    answer("OK", text)


main()
