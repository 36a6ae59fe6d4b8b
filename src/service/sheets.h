/*
 * sheets.h — lists as .xlsx (any list of the API, ?format=xlsx).
 */
#ifndef PX_SERVICE_SHEETS_H
#define PX_SERVICE_SHEETS_H

#include "base/buf.h"
#include "service/svc.h"

/* The items (the views of a list) as one sheet into out: the known columns present in the
 * first item, headed in the caller's language. Does not take items. */
px_err svc_list_sheet(struct svc *c, json_t *items, struct buf *out);

#endif
