/* lam.h - the lambda mock: service descriptor (see mocks/mock.h). */
#ifndef STEPBENCH_LAM_H
#define STEPBENCH_LAM_H

#include "mocks/mock.h"

extern const mock_service lam_service;

#endif
