/* transport_inproc.h - the engine's transport, answered by this process's mocks.
 * Ownership: the transport borrows the world, which must outlive it; free
 * the transport with its close(). */
#ifndef STEPBENCH_TRANSPORT_INPROC_H
#define STEPBENCH_TRANSPORT_INPROC_H

#include "engine/transport.h"
#include "mocks/mock.h"

/** A transport whose calls go straight to mock_dispatch on w. */
transport *transport_inproc_new(mock_world *w);
/** The same, with every call made as id (copied; NULL = anonymous): the
 *  services then enforce the role's IAM policies when the role exists in
 *  w's IAM (mocks/authz.h). */
transport *transport_inproc_new_as(mock_world *w, const transport_identity *id);

#endif
