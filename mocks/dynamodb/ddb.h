/* ddb.h - the dynamodb mock: service descriptor (see mocks/mock.h). */
#ifndef STEPBENCH_DDB_H
#define STEPBENCH_DDB_H

#include "mocks/mock.h"

extern const mock_service ddb_service;

#endif
