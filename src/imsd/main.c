/* main.c - imsd: parse flags, open the store, serve until SIGTERM/SIGINT. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "imsd.h"
#include "options.h"
#include "server.h"

int main(int argc, char **argv)
{
	imsd_options o;
	imsd_app_options ao;
	imsd_server_options so;
	imsd_app *app = NULL;
	imsd_server *srv = NULL;
	hwims_error err;
	sigset_t sigs;
	char url[256];
	int sig = 0;

	if (imsd_options_parse(argc, argv, &o, &err)) {
		fprintf(stderr, "imsd: %s\n", err.message);
		return 2;
	}
	if (o.help) {
		fputs(imsd_usage, stdout);
		return 0;
	}
	if (o.print_seed) {
		fputs(imsd_default_seed_json, stdout);
		return 0;
	}
	if (mkdir(o.data_dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "imsd: cannot create %s: %s\n", o.data_dir, strerror(errno));
		return 1;
	}
	/* Block the shutdown signals in every thread (the server's threads inherit the
	 * mask) and take them synchronously here: no handler, no global flag. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&ao, 0, sizeof(ao));
	ao.data_dir = o.data_dir;
	ao.seed_path = o.seed_path;
	ao.default_region = o.default_region;
	ao.time_scale = o.time_scale;
	ao.admin = o.admin;
	ao.durable = 1;
	if (imsd_app_new(&app, &ao, &err)) {
		fprintf(stderr, "imsd: %s\n", err.message);
		return 1;
	}
	imsd_faults_set(&app->faults, &o.faults);
	memset(&so, 0, sizeof(so));
	so.host = o.host;
	so.port = o.port;
	so.threads = o.threads;
	so.log_requests = o.log_requests;
	so.header_timeout_s = o.header_timeout_s;
	if (imsd_server_start(&srv, app, &so, url, sizeof(url), &err)) {
		fprintf(stderr, "imsd: %s\n", err.message);
		imsd_app_free(app);
		return 1;
	}
	printf("imsd listening on %s\n", url);
	fflush(stdout);
	while (sigwait(&sigs, &sig) != 0)
		;
	fprintf(stderr, "imsd: signal %d, shutting down\n", sig);
	imsd_server_stop(srv);
	imsd_app_free(app);
	return 0;
}
