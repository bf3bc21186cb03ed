/* ddb_attr.h - DynamoDB AttributeValues to and from plain JSON.
 *
 * DynamoDB's wire format types every value: {"S": "x"}, {"N": "1.5"},
 * {"M": {"a": {"BOOL": true}}}, ... The scenario runner lets authors write
 * plain JSON and compares plain JSON, so it converts with these two
 * functions, which behave like boto3's TypeDeserializer and TypeSerializer.
 *
 * Ownership: both return a new tree the caller frees with cJSON_Delete; the
 * argument is borrowed. Errors: none; input that is not a valid typed value
 * converts as well as it can (unknown shapes become null).
 */
#ifndef STEPBENCH_DDB_ATTR_H
#define STEPBENCH_DDB_ATTR_H

#include <cjson/cJSON.h>

/**
 * Unmarshal a typed item ({"attr": {"S": "x"}, ...}) or a single typed value
 * ({"S": "x"}) to plain JSON: S as a string, N as a JSON number, B as its
 * base64 string, BOOL as a boolean, NULL as null, M as an object, L as an
 * array, SS/NS/BS as arrays (of strings, numbers, base64 strings).
 *
 * An object is taken as a single value when it has exactly one member whose
 * name is a type (S, N, B, BOOL, NULL, M, L, SS, NS, BS) and whose content
 * has that type's shape (for M: an object of valid values); otherwise it is
 * an item.
 * @return a new tree (caller owns), never NULL.
 */
cJSON *ddb_attr_to_plain(const cJSON *typed_item_or_value);

/**
 * Marshal plain JSON to a typed value: null -> NULL, booleans -> BOOL,
 * numbers -> N (shortest text that reads back the same double), strings ->
 * S, arrays -> L, objects -> M. Sets and binary are never produced (JSON
 * cannot tell them apart), as with boto3.
 *
 * To marshal a whole item, pass the object and read the "M" member, or use
 * ddb_attr_item_from_plain.
 * @return a new tree (caller owns), never NULL.
 */
cJSON *ddb_attr_from_plain(const cJSON *plain);

/** Marshal a plain object as an item {attr: typed value}; a non-object gives {}. */
cJSON *ddb_attr_item_from_plain(const cJSON *plain_object);

#endif
