/* policy.h - least-privilege IAM policies for a workflow, and checks of declared roles.
 *
 * A policy_gen collects the permissions a workflow needs: statically from
 * its definition (each Task's integration mapped to the service call it
 * makes, with literal Arguments/Parameters naming the table, queue or
 * function), and dynamically from the calls scenarios actually made
 * (policy_gen_add_call). The result is one statement per service and
 * resource set, with exactly the actions used; an ARN computed at run time
 * becomes a wildcard with a warning.
 *
 * Ownership: a policy_gen owns everything it returns as const; functions
 * returning cJSON * hand ownership to the caller.
 */
#ifndef STEPBENCH_POLICY_H
#define STEPBENCH_POLICY_H

#include <cjson/cJSON.h>

#include "common/sb.h"

typedef struct policy_gen policy_gen;

/** account and region fill the ARNs a definition leaves implicit. */
policy_gen *policy_gen_new(const char *account, const char *region);
void policy_gen_free(policy_gen *g);

/**
 * Add what a definition's Task states need (nested Parallel branches and Map
 * processors included). name labels warnings (a file name).
 * @return 0, or -1 when definition has no States object.
 */
int policy_gen_add_definition(policy_gen *g, const cJSON *definition, const char *name);

/** Add one call a workflow made (service "dynamodb", op "PutItem", request). */
void policy_gen_add_call(policy_gen *g, const char *service, const char *op, const cJSON *in);

/**
 * Narrow the wildcards the definition left to what scenarios touched: calls
 * is [{action, resource}] (runner/tap.h). A wildcard need becomes the
 * resources its action was called on; one no call touched stays, its
 * warning saying so; a call the definition did not foresee is added.
 */
void policy_gen_use_calls(policy_gen *g, const cJSON *calls);

/** The identity-based policy document (caller owns). */
cJSON *policy_gen_policy(const policy_gen *g);
/** The Lambda functions the workflow invokes (ARNs, caller owns): each needs
 *  a resource-based permission when its policy restricts invokers. */
cJSON *policy_gen_functions(const policy_gen *g);
/** Warnings (strings) about permissions that could not be made exact. */
const cJSON *policy_gen_warnings(const policy_gen *g);
/** The needed permissions as [{action, resource}] (borrowed). */
const cJSON *policy_gen_needs(const policy_gen *g);

/**
 * Map a Task's Resource to the service call it makes.
 * @param service, op  out: "dynamodb"/"PutItem", "lambda"/"Invoke"...
 * @param function     out: for a Lambda function ARN used as the resource
 *                     directly, that ARN (else left empty)
 * @return 0, or -1 for a resource that calls no AWS API (an activity).
 */
int policy_task_call(const char *resource, char service[64], char op[128], char function[512]);

#endif
