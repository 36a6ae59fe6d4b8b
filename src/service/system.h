/*
 * system.h — operations about the system itself: health and the vocabularies.
 */
#ifndef PX_SERVICE_SYSTEM_H
#define PX_SERVICE_SYSTEM_H

#include "service/svc.h"

extern const struct view_spec svc_health_shape, svc_vocab_shape;

/* {"status": "ok", "database": "sqlite"|"postgresql", "schema_version": N}; PX_ERR_DB when
 * the database does not answer. */
px_err svc_health(struct svc *c, json_t **out);
/* Every vocabulary: {name: [{code, label, zh, en} …] …}, labels in the caller's language. */
px_err svc_vocabularies(struct svc *c, json_t **out);

#endif
