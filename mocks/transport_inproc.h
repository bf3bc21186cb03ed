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
/**
 * The transport an execution calls the services through: as role_arn (NULL
 * or "" = anonymous, nothing enforced) in an STS session named as Step
 * Functions names it, 32 letters (error causes read
 * "assumed-role/<role>/ahHmwmWN..."), here derived from exec_arn so a run is
 * reproducible; sm_arn is the calls' aws:SourceArn. Used by `serve`'s
 * executions and by scenarios alike.
 */
transport *transport_inproc_new_for_execution(mock_world *w, const char *role_arn, const char *exec_arn,
                                              const char *sm_arn);

#endif
