/* poller.c - the one poller of the workflow (see poller.h). */
#include "poller.h"

#include <stdlib.h>

#include "hwims/duration.h"

void poller_init(poller *p, hwims_cancel *cancel, const poller_shape *shape, unsigned seed)
{
	p->cancel = cancel;
	p->shape = *shape;
	p->start_ns = hwims_cancel_now_ns();
	p->next_ns = shape->first_ns;
	p->seed = seed;
}

int64_t poller_interval(poller *p)
{
	if (p->shape.pace > 0) {
		double d = (double)(hwims_cancel_now_ns() - p->start_ns) * p->shape.pace;
		if (d < (double)p->shape.first_ns)
			return p->shape.first_ns;
		return d > (double)p->shape.max_ns ? p->shape.max_ns : (int64_t)d;
	}
	int64_t d = p->next_ns;
	double grown = (double)p->next_ns * p->shape.growth;
	p->next_ns = grown > (double)p->shape.max_ns ? p->shape.max_ns : (int64_t)grown;
	return d;
}

int64_t poller_jitter(poller *p, int64_t ns)
{
	if (p->shape.jitter <= 0)
		return ns;
	double r = (double)rand_r(&p->seed) / (double)RAND_MAX;
	return ns - (int64_t)((double)ns * p->shape.jitter * r);
}

int64_t poller_next(poller *p)
{
	return poller_jitter(p, poller_interval(p));
}

int64_t poller_left(const poller *p)
{
	int64_t deadline = hwims_cancel_deadline(p->cancel);
	return deadline ? deadline - hwims_cancel_now_ns() : INT64_MAX;
}

/* Why the wait ends now: the deadline (not a trigger) or a cancellation. */
static int stop_reason(const poller *p)
{
	return hwims_cancel_timed_out(p->cancel) ? HWIMS_ETIMEOUT : HWIMS_ECANCELLED;
}

int poller_sleep(poller *p, int64_t ns)
{
	if (hwims_cancel_requested(p->cancel))
		return stop_reason(p);
	int64_t left = poller_left(p);
	if (left <= 0)
		return HWIMS_ETIMEOUT;
	if (ns > left)
		ns = left;
	/* rounded up: a sleep cut short of the deadline would wake just before it */
	if (hwims_cancel_sleep(p->cancel, (ns + HWIMS_NS_PER_MS - 1) / HWIMS_NS_PER_MS))
		return stop_reason(p);
	return 0;
}
