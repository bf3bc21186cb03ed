/* proto_query.h - the AWS query protocol: form-encoded requests, XML answers.
 *
 * Older SDKs speak it to SQS; every SDK speaks it to IAM. A request is
 * `Action=Op&Version=...&Param=...` (POST form body, or the URL query
 * string); nested members are flattened into dotted names
 * (`Tags.member.1.Key`, `Attribute.1.Name`). Answers are XML:
 *   <OpResponse xmlns="..."><OpResult>...</OpResult>
 *     <ResponseMetadata><RequestId>..</RequestId></ResponseMetadata></OpResponse>
 * and errors:
 *   <ErrorResponse xmlns="..."><Error><Type>Sender</Type><Code>..</Code>
 *     <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>
 *
 * This file holds what every query service shares; turning the flat
 * parameters into a service's input shape, and its output into the XML
 * elements clients expect, is the service's business (the shapes differ).
 *
 * Ownership: returned cJSON trees belong to the caller.
 */
#ifndef STEPBENCH_PROTO_QUERY_H
#define STEPBENCH_PROTO_QUERY_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "common/sb.h"
#include "mocks/mock.h"

/**
 * Decode an application/x-www-form-urlencoded string into an object of
 * name -> string, in order ('+' is a space, %XX decoded; a name without '='
 * has the value ""). Later duplicates replace earlier ones.
 * @return the object, or NULL when a %-escape is malformed or the decoded
 *         bytes are not UTF-8.
 */
cJSON *query_form_parse(const char *s, size_t len);

/**
 * Collect the flattened list `prefix.1`, `prefix.2`, ... (or, with member
 * non-zero, `prefix.member.1`...) of flat into an array of strings; a
 * list of structures is read with query_flat_struct_list. Numbering must
 * start at 1; it stops at the first gap. NULL when absent.
 */
cJSON *query_flat_list(const cJSON *flat, const char *prefix, int member);
/**
 * Collect `prefix[.member].N.<field>` for N = 1.. into an array of objects
 * {field: value, ...} (dotted sub-fields are kept as dotted names).
 */
cJSON *query_flat_struct_list(const cJSON *flat, const char *prefix, int member);

/**
 * Append v as XML elements named name: objects become nested elements in
 * member order, arrays become <name><member>..</member></name> (or, with
 * flattened, repeated <name> elements), strings are escaped, numbers and
 * booleans written as text. A NULL v writes nothing.
 */
void query_xml_value(sb *out, const char *name, const cJSON *v, int flattened);

/** The whole success answer for op around the already rendered result
 *  elements (result_xml may be ""). */
void query_xml_answer(mock_http_out *out, const char *xmlns, const char *op, const char *result_xml,
                      const char *request_id);

/** The error answer for rq's error (Type Sender/Receiver, Code: the legacy
 *  code when the catalogue has one, else the type). */
void query_xml_error(mock_http_out *out, const char *xmlns, const mock_req *rq);

/** The same for an error outside a request (malformed form, unknown action). */
void query_xml_error_raw(mock_http_out *out, const char *xmlns, int status, const char *code,
                         const char *message, const char *request_id);

#endif
