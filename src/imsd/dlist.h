/*
 * dlist.h - an intrusive doubly linked list in insertion order, for the connections the
 * accept loop and the server keep: O(1) append and unlink, oldest at the head. An entry
 * embeds an imsd_dlink as its first member, so a link pointer is also the entry's.
 */
#ifndef IMSD_DLIST_H
#define IMSD_DLIST_H

#include <stddef.h>

typedef struct imsd_dlink {
	struct imsd_dlink *prev, *next;
} imsd_dlink;

typedef struct imsd_dlist {
	imsd_dlink *head, *tail;
	size_t n;
} imsd_dlist;

static inline void imsd_dlist_push(imsd_dlist *l, imsd_dlink *e)
{
	e->next = NULL;
	e->prev = l->tail;
	if (l->tail)
		l->tail->next = e;
	else
		l->head = e;
	l->tail = e;
	l->n++;
}

static inline void imsd_dlist_unlink(imsd_dlist *l, imsd_dlink *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		l->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		l->tail = e->prev;
	e->prev = e->next = NULL;
	l->n--;
}

#endif
