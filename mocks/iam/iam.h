/* iam.h - the IAM mock: roles, inline and managed policies, for enforcing
 * a workflow's execution role (issue 8).
 *
 * Operations (SDK JSON shapes in-process; the query protocol over HTTP, as
 * every SDK speaks to IAM): CreateRole, GetRole, DeleteRole, ListRoles,
 * PutRolePolicy, GetRolePolicy, ListRolePolicies, DeleteRolePolicy,
 * CreatePolicy, GetPolicy, GetPolicyVersion, DeletePolicy, ListPolicies,
 * AttachRolePolicy, DetachRolePolicy, ListAttachedRolePolicies.
 * IAM is global: ARNs have no region (arn:aws:iam::<account>:role/<path><name>).
 * Policy documents are JSON text in the SDK shapes; over the query protocol
 * they travel URL-encoded, as AWS sends them.
 */
#ifndef STEPBENCH_IAM_H
#define STEPBENCH_IAM_H

#include <stddef.h>

#include "mocks/iam/iam_policy.h"
#include "mocks/mock.h"

extern const mock_service iam_service;

/**
 * The identity-based policies of a role (inline ones, then attached managed
 * ones), parsed, for evaluating a call made by the role.
 * @param role  the role's ARN, or its name
 * @param out   receives a mem_alloc'ed array of policies the caller frees
 *              with iam_policies_free
 * @return 0, or -1 when the role does not exist (*out NULL, *n 0).
 * Opens its own read transaction: call it while holding none.
 */
int iam_role_policies(mock_world *w, const char *role, iam_policy ***out, size_t *n);
void iam_policies_free(iam_policy **v, size_t n);

/** The query-protocol front (iam_http.c): the service's http hook. */
int iam_http(mock_world *w, const mock_http *in, mock_http_out *out);

#endif
