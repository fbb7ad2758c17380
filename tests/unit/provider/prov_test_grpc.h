/*
 * prov_test_grpc.h - a minimal gRPC C core client for the provider's tests
 * (header only: every test program is one .c file).
 */
#ifndef PROV_TEST_GRPC_H
#define PROV_TEST_GRPC_H

#include <grpc/byte_buffer.h>
#include <grpc/byte_buffer_reader.h>
#include <grpc/grpc.h>
#include <grpc/grpc_security.h>
#include <grpc/support/time.h>
#include <stdlib.h>
#include <string.h>

typedef struct test_conn {
	grpc_channel *ch;
} test_conn;

/* Connect to "unix:/path"; with server_cert_pem, over TLS (client_key/cert may be NULL). */
static inline void test_connect(test_conn *c, const char *target, const char *server_cert_pem,
                                const char *client_key, const char *client_cert)
{
	grpc_channel_credentials *creds;
	grpc_arg arg;
	memset(&arg, 0, sizeof(arg));
	arg.type = GRPC_ARG_STRING;
	arg.key = GRPC_SSL_TARGET_NAME_OVERRIDE_ARG;
	arg.value.string = "localhost";
	grpc_channel_args args = {.num_args = server_cert_pem ? 1 : 0, .args = &arg};
	if (server_cert_pem) {
		grpc_ssl_pem_key_cert_pair pair = {.private_key = client_key,
		                                   .cert_chain = client_cert};
		creds = grpc_ssl_credentials_create(server_cert_pem, client_key ? &pair : NULL,
		                                    NULL, NULL);
	} else {
		creds = grpc_insecure_credentials_create();
	}
	c->ch = grpc_channel_create(target, creds, &args);
	grpc_channel_credentials_release(creds);
}

static inline void test_disconnect(test_conn *c)
{
	grpc_channel_destroy(c->ch);
}

typedef struct test_call {
	grpc_completion_queue *cq;
	grpc_call *call;
	grpc_metadata_array md_in, trailing;
	grpc_byte_buffer *req, *resp;
	grpc_status_code status;
	grpc_slice details;
	grpc_op ops[6];
} test_call;

/* Start a unary call (deadline in seconds); finish with test_call_wait. */
static inline void test_call_start(test_conn *c, test_call *t, const char *method, const void *req,
                                   size_t len, int deadline_s)
{
	memset(t, 0, sizeof(*t));
	t->cq = grpc_completion_queue_create_for_pluck(NULL);
	grpc_slice m = grpc_slice_from_copied_string(method);
	gpr_timespec deadline = gpr_time_add(gpr_now(GPR_CLOCK_REALTIME),
	                                     gpr_time_from_seconds(deadline_s, GPR_TIMESPAN));
	t->call = grpc_channel_create_call(c->ch, NULL, GRPC_PROPAGATE_DEFAULTS, t->cq, m, NULL,
	                                   deadline, NULL);
	grpc_slice_unref(m);
	grpc_slice body = grpc_slice_from_copied_buffer(req, len);
	t->req = grpc_raw_byte_buffer_create(&body, 1);
	grpc_slice_unref(body);
	grpc_metadata_array_init(&t->md_in);
	grpc_metadata_array_init(&t->trailing);
	grpc_op *op = t->ops;
	op->op = GRPC_OP_SEND_INITIAL_METADATA;
	op++;
	op->op = GRPC_OP_SEND_MESSAGE;
	op->data.send_message.send_message = t->req;
	op++;
	op->op = GRPC_OP_SEND_CLOSE_FROM_CLIENT;
	op++;
	op->op = GRPC_OP_RECV_INITIAL_METADATA;
	op->data.recv_initial_metadata.recv_initial_metadata = &t->md_in;
	op++;
	op->op = GRPC_OP_RECV_MESSAGE;
	op->data.recv_message.recv_message = &t->resp;
	op++;
	op->op = GRPC_OP_RECV_STATUS_ON_CLIENT;
	op->data.recv_status_on_client.trailing_metadata = &t->trailing;
	op->data.recv_status_on_client.status = &t->status;
	op->data.recv_status_on_client.status_details = &t->details;
	op++;
	grpc_call_start_batch(t->call, t->ops, (size_t)(op - t->ops), t, NULL);
}

/* Wait for the call; returns its status, copies the response (malloc'd) into *out. */
static inline grpc_status_code test_call_wait(test_call *t, unsigned char **out, size_t *out_len)
{
	grpc_completion_queue_pluck(t->cq, t, gpr_inf_future(GPR_CLOCK_REALTIME), NULL);
	if (out) {
		*out = NULL;
		*out_len = 0;
		if (t->resp) {
			grpc_byte_buffer_reader r;
			grpc_byte_buffer_reader_init(&r, t->resp);
			grpc_slice s = grpc_byte_buffer_reader_readall(&r);
			grpc_byte_buffer_reader_destroy(&r);
			*out_len = GRPC_SLICE_LENGTH(s);
			*out = malloc(*out_len + 1);
			memcpy(*out, GRPC_SLICE_START_PTR(s), *out_len);
			grpc_slice_unref(s);
		}
	}
	grpc_status_code st = t->status;
	if (t->resp)
		grpc_byte_buffer_destroy(t->resp);
	grpc_byte_buffer_destroy(t->req);
	grpc_slice_unref(t->details);
	grpc_metadata_array_destroy(&t->md_in);
	grpc_metadata_array_destroy(&t->trailing);
	grpc_call_unref(t->call);
	grpc_completion_queue_shutdown(t->cq);
	while (grpc_completion_queue_pluck(t->cq, NULL, gpr_inf_future(GPR_CLOCK_REALTIME), NULL)
	           .type != GRPC_QUEUE_SHUTDOWN)
		;
	grpc_completion_queue_destroy(t->cq);
	return st;
}

static inline grpc_status_code test_unary(test_conn *c, const char *method, const void *req,
                                          size_t len, unsigned char **out, size_t *out_len)
{
	test_call t;
	test_call_start(c, &t, method, req, len, 20);
	return test_call_wait(&t, out, out_len);
}

#endif
