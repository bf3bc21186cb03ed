/* sfn.h - the states mock: service descriptor (see mocks/mock.h). */
#ifndef STEPBENCH_SFN_H
#define STEPBENCH_SFN_H

#include "mocks/mock.h"

extern const mock_service sfn_service;

#endif
