// lam_boot.js - stepbench's Node.js runtime shim: load the handler, call it once, answer on fd 3.
//
// argv: request_id deadline_ms(epoch) invoked_arn client_context_json
// env:  _HANDLER, LAMBDA_TASK_ROOT and the variables Lambda defines.
// The event is stdin. The answer on fd 3 is "OK\n<json>" or "ERR\n<json>";
// stdout and stderr are the invocation's log, console lines formatted as
// Lambda's Node.js runtime formats them. Embedded into the binary as
// lam_boot.c (mocks/lambda/gen_boot.sh).
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const { pathToFileURL } = require('url');

const [requestId, deadlineText, arn, ccText] = process.argv.slice(2);
const deadline = Number(deadlineText);
let answered = false;

const levels = [['log', 'INFO'], ['info', 'INFO'], ['warn', 'WARN'], ['error', 'ERROR'], ['debug', 'DEBUG'], ['trace', 'TRACE']];
for (const [name, level] of levels) {
  console[name] = (...args) => {
    process.stdout.write(`${new Date().toISOString()}\t${requestId}\t${level}\t${util.format(...args)}\n`);
  };
}

function answer(kind, text) {
  if (answered) return;
  answered = true;
  fs.writeSync(3, kind + '\n' + text);
  process.exit(0);
}

function errorBody(err) {
  if (err instanceof Error) {
    // stack frames name files as Lambda shows them: under /var/task
    const stack = String(err.stack || '').split(process.env.LAMBDA_TASK_ROOT).join('/var/task');
    return { errorType: err.name || 'Error', errorMessage: err.message, trace: stack.split('\n') };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

function fail(err) {
  const body = errorBody(err);
  console.error('Invoke Error \t' + JSON.stringify(body));
  answer('ERR', JSON.stringify(body));
}

function failAs(type, message) {
  const body = { errorType: type, errorMessage: message, trace: [] };
  console.error(`${type}: ${message}`);
  answer('ERR', JSON.stringify(body));
}

function succeed(result) {
  let text;
  try {
    text = JSON.stringify(result === undefined ? null : result);
  } catch (e) {
    failAs('Runtime.MarshalError', 'Unable to stringify response body: ' + e.message);
    return;
  }
  answer('OK', text === undefined ? 'null' : text);
}

async function load(handler) {
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) {
    failAs('Runtime.MalformedHandlerName', `Bad handler ${handler}`);
    return null;
  }
  const modName = handler.slice(0, dot);
  const fnPath = handler.slice(dot + 1).split('.');
  const base = path.resolve(process.env.LAMBDA_TASK_ROOT, modName);
  let mod;
  const found = ['.js', '.mjs', '.cjs'].map((e) => base + e).find((f) => fs.existsSync(f));
  if (!found) {
    failAs('Runtime.ImportModuleError', `Error: Cannot find module '${modName}'`);
    return null;
  }
  try {
    if (found.endsWith('.mjs')) {
      mod = await import(pathToFileURL(found).href);
    } else {
      try {
        mod = require(found);
      } catch (e) {
        if (e && e.code === 'ERR_REQUIRE_ESM') mod = await import(pathToFileURL(found).href);
        else throw e;
      }
    }
  } catch (e) {
    if (e instanceof SyntaxError) failAs('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    else fail(e);
    return null;
  }
  let fn = mod;
  for (const p of fnPath) fn = fn == null ? undefined : fn[p];
  if (typeof fn !== 'function') {
    failAs('Runtime.HandlerNotFound', `${handler} is undefined or not exported`);
    return null;
  }
  return fn;
}

async function main() {
  const raw = fs.readFileSync(0, 'utf8');
  let event;
  try {
    event = raw.trim() ? JSON.parse(raw) : {};
  } catch (e) {
    failAs('Runtime.UnmarshalError', `Unable to unmarshal input: ${e.message}`);
    return;
  }
  let clientContext;
  try {
    clientContext = ccText ? JSON.parse(ccText) : undefined;
  } catch (e) {
    clientContext = undefined;
  }
  const fn = await load(process.env._HANDLER || '');
  if (!fn) return;
  const context = {
    awsRequestId: requestId,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext,
    identity: undefined,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    succeed,
    fail,
    done: (err, res) => (err ? fail(err) : succeed(res)),
  };
  const callback = (err, res) => (err ? fail(err) : succeed(res));
  let r;
  try {
    r = fn(event, context, callback);
  } catch (e) {
    fail(e);
    return;
  }
  if (r && typeof r.then === 'function') r.then(succeed, fail);
  else if (fn.length < 3) succeed(r);
  // a callback-style handler answers through the callback; one that never
  // calls it answers null once the event loop is empty, as Lambda does
}

process.on('beforeExit', () => succeed(null));
process.on('uncaughtException', (e) => fail(e));
process.on('unhandledRejection', (e) => fail(e));
main();
