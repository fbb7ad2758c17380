/*
 * eps_moves.h - enterprise-project migrations that take time.
 *
 * EPS accepts a resources-migrate at once and moves the resource later. imsd keeps each accepted
 * move as a row (image, target project, when it completes) and lets it take effect on the first
 * request that comes after that time: nothing runs in the background, and a restart loses
 * nothing. Until then the image shows its old project in IMS and in EPS resources/filter.
 */
#ifndef IMSD_EPS_MOVES_H
#define IMSD_EPS_MOVES_H

#include <hwims/error.h>

#include "store.h"

/* Record the move of image_id to eps, completing at `at` (a later move of the same image
   replaces it). 0, or -1 with err. */
int imsd_eps_move_add(imsd_db *db, const char *image_id, const char *eps, double at,
                      hwims_error *err);

/* Make every move due by now take effect: the image's eps column and its
   enterprise_project_id. 0, or -1 with err. */
int imsd_eps_moves_apply(imsd_db *db, double now, hwims_error *err);

#endif
