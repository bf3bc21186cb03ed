/* sqs.h - the sqs mock: service descriptor (see mocks/mock.h). */
#ifndef STEPBENCH_SQS_H
#define STEPBENCH_SQS_H

#include "mocks/mock.h"

extern const mock_service sqs_service;

#endif
