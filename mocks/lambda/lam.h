/* lam.h - the Lambda mock: functions that return scripted answers or really run.
 *
 * The service speaks Lambda's REST JSON protocol over HTTP
 * (/2015-03-31/functions/...) through its `http` hook, and answers the same
 * operations in-process through mock_dispatch with the SDK's JSON shapes:
 *
 *   CreateFunction, GetFunction, GetFunctionConfiguration, ListFunctions,
 *   UpdateFunctionCode, UpdateFunctionConfiguration, DeleteFunction,
 *   PublishVersion, ListVersionsByFunction, CreateAlias, GetAlias,
 *   UpdateAlias, DeleteAlias, ListAliases, ListTags, TagResource,
 *   UntagResource, GetAccountSettings, Invoke.
 *
 * Invoke in-process (engine/transport.h):
 *   in  {"FunctionName", "Qualifier"?, "InvocationType"?: "RequestResponse" |
 *        "Event" | "DryRun", "LogType"?: "None" | "Tail", "ClientContext"?,
 *        "Payload"?: "<JSON text>"}   (a non-string Payload is serialized)
 *   out {"StatusCode": 200, "Payload": "<text>", "ExecutedVersion": "$LATEST",
 *        "FunctionError"?: "Unhandled", "LogResult"?: "<base64 of the last 4 KB>"}
 *   Event answers {"StatusCode": 202, "Payload": ""} at once and runs the
 *   function on a background thread; DryRun answers {"StatusCode": 204,
 *   "Payload": ""} and runs nothing. Over HTTP the payload is the raw body
 *   and the other members are the X-Amz-* headers.
 *
 * FunctionName may be a name, a full ARN (arn:aws:lambda:REGION:ACCOUNT:
 * function:NAME) or a partial ARN (ACCOUNT:function:NAME), each with an
 * optional ":QUALIFIER" (a version, "$LATEST" or an alias). A region in an
 * ARN wins over the request's region; the account is not checked.
 *
 * ---- Behaviours (a stepbench extension) ---------------------------------
 *
 * CreateFunction (and UpdateFunctionConfiguration) accept an extra member
 * "Behavior": a function with a behaviour needs no Code, Role, Runtime or
 * Handler, and its behaviour answers every invocation instead of code.
 * Clients that validate parameters (boto3, the AWS CLI) can pass the same
 * JSON text in the environment variable STEPBENCH_BEHAVIOR instead. Shapes:
 *
 *   {"returns": <JSON>}                 the result, whatever the event
 *   {"error": {"type": "T", "message": "M"}}
 *                                       a function error: FunctionError
 *                                       "Unhandled", payload {"errorMessage":
 *                                       "M", "errorType": "T", "stackTrace": []}
 *                                       (type defaults to "Error", message to "")
 *   {"error": {"service": "TooManyRequestsException", "message": "M"}}
 *                                       Invoke itself fails with that Lambda
 *                                       service error (status from the
 *                                       catalogue; "Lambda." prefix optional),
 *                                       which Step Functions sees as
 *                                       Lambda.TooManyRequestsException
 *   {"expression": "<JSONata>"}         evaluated with the event as input; the
 *                                       result is the answer (undefined: null);
 *                                       an evaluation error is a function
 *                                       error of type "Stepbench.ExpressionError"
 *   {"responses": [R1, R2, ...]}        the n-th invocation of the function
 *                                       answers Rn, the last one repeating.
 *                                       Each R is {"returns": X},
 *                                       {"error": {...}}, {"expression": "..."},
 *                                       {"command": "..."}, or any other JSON
 *                                       value, returned as it is
 *   {"command": "<shell command>", "cwd"?: "<dir>"}
 *                                       runs /bin/sh -c command with the event
 *                                       on stdin; stdout is the result, stderr
 *                                       the log; a non-zero exit is a function
 *                                       error of type Runtime.ExitError. The
 *                                       environment is the function's plus PATH
 *                                       and HOME of the server; cwd defaults to
 *                                       a fresh temporary directory
 *
 * ---- Code that really runs ----------------------------------------------
 *
 * Without a behaviour, a function's zip (Code.ZipFile, stored in LMDB) is
 * extracted for every invocation into a fresh temporary directory and run
 * with the machine's own interpreter, with only the function's environment
 * (Environment.Variables plus the variables Lambda defines):
 *   python3.x  python3 runs lam_boot.py, which imports the Handler
 *              ("module.function") and calls it with (event, context)
 *   nodejs*    node runs lam_boot.js (CommonJS or ES module handlers, async,
 *              promise or callback style)
 *   provided*  the zip's executable `bootstrap` runs with the event on stdin
 *              and prints the result on stdout (not the Runtime API)
 * Prints are captured as the log. Timeout is enforced: the process group is
 * killed and the invocation answers the function error
 * {"errorMessage": "<time> <request id> Task timed out after N.00 seconds"}.
 * STEPBENCH_PYTHON and STEPBENCH_NODE override the interpreters.
 *
 * ---- Invocation log -----------------------------------------------------
 *
 * Every RequestResponse and Event invocation is recorded in LMDB. The
 * service's snapshot hook, lam_invocations_json and
 * `GET /_stepbench/lambda/invocations[?function=NAME][&region=R]` all answer
 *   {"<FunctionName>": [{"RequestId", "Qualifier", "ExecutedVersion",
 *     "InvocationType", "Payload": <the event, parsed; the raw text if not
 *     JSON>, "Result": <parsed; raw text if not JSON> | "Error":
 *     {"errorType"?, "errorMessage"}, "FunctionError"?: "Unhandled",
 *     "StatusCode", "Logs": "<captured output>", "Time": "<ISO-8601 of the
 *     world clock>", "DurationMs": n}, ...]}
 * in invocation order. A service error from a behaviour has "Error" and no
 * "FunctionError". Event invocations still running are waited for before
 * the log is read, so a snapshot sees them.
 */
#ifndef STEPBENCH_LAM_H
#define STEPBENCH_LAM_H

#include "mocks/mock.h"

extern const mock_service lam_service;

/**
 * The invocation log in the shape above (caller owns).
 * @param region    only this region's functions; NULL: every region
 * @param function  only this function (a name or an ARN); NULL: all. A
 *                  function never invoked answers {"NAME": []}.
 * @return the log, or NULL when the store cannot be read.
 */
cJSON *lam_invocations_json(mock_world *w, const char *region, const char *function);

/**
 * The ARN a FunctionName (name, ARN or partial ARN, optionally qualified)
 * denotes, with qualifier (may be NULL) when the name carries none; the
 * name's own region and account win over the defaults. Appended to out.
 * @return 0, or -1 when the name is not one Lambda accepts.
 */
int lam_function_arn(const char *function_name, const char *qualifier, const char *region, const char *account,
                     sb *out);

/** Wait until every Event invocation started so far has finished. */
void lam_quiesce(mock_world *w);

#endif
