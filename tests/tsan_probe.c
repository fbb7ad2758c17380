/*
 * tsan_probe.c - does the ThreadSanitizer runtime start here? scripts/run-tests runs this
 * before the tsan lane: some kernels map memory where gcc 12's libtsan does not expect it
 * (high ASLR entropy, vm.mmap_rnd_bits > 28) and every instrumented program then dies with
 * "FATAL: ThreadSanitizer: unexpected memory mapping"; the lane is then run with ASLR off.
 * Exits 0 when a thread could be started and joined.
 */
#include <pthread.h>
#include <stdio.h>

static void *run(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	int x = 1;
	void *out = NULL;
	if (pthread_create(&t, NULL, run, &x) != 0 || pthread_join(t, &out) != 0 || out != &x)
		return 1;
	puts("ThreadSanitizer runtime works");
	return 0;
}
