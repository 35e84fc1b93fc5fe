/*
 * needs.c: the new service's declared needs (flags or .pyorgo.json) as
 * signals: declared.service.<kind> = 1, declared.target_rps, ... with the
 * source "flag" or "config", so the decision and the report treat them
 * like any other signal and show where each came from.
 */
#include <stdio.h>
#include <string.h>

#include "pyorgo/needs.h"
#include "pyorgo/recommend.h"
#include "banned.h"

static const char *const services[] = {
	"api", "crud",      "gateway",   "proxy",        "pipeline",
	"cli", "websocket", "streaming", "ml-inference", "worker",
};

int pyo_needs_valid_service(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < sizeof(services) / sizeof(*services); i++)
		if (!strcmp(kind, services[i]))
			return 1;
	return 0;
}

static const char *source_name(enum pyo_need_source s)
{
	return s == PYO_NEED_FLAG ? "flag" : "config";
}

static int
put(struct pyo_signals *out, const char *name, const struct pyo_need *n)
{
	if (n->source == PYO_NEED_UNSET)
		return 0;
	if (!(n->value > 0))
		return pyo_error_setc(PYO_EINVALID,
		                      "%s: expected a number > 0, got %g",
		                      name + strlen("declared."), n->value);
	if (!pyo_signals_set(out, name, n->value, source_name(n->source), 0))
		return pyo_error_oom();
	return 0;
}

int pyo_needs_signals(struct pyo_signals *out, const struct pyo_needs *needs)
{
	char name[64];
	int error;

	if (!needs)
		return 0;
	if (needs->service) {
		if (!pyo_needs_valid_service(needs->service))
			return pyo_error_setc(
			        PYO_EINVALID,
			        "unknown service kind '%s' (expected api, crud, "
			        "gateway, proxy, pipeline, cli, websocket, "
			        "streaming, ml-inference or worker)",
			        needs->service);
		snprintf(name, sizeof(name), "declared.service.%s",
		         needs->service);
		if (!pyo_signals_set(out, name, 1,
		                     source_name(needs->service_source), 0))
			return pyo_error_oom();
	}
	if ((error = put(out, "declared.target_rps", &needs->target_rps)) < 0 ||
	    (error = put(out, "declared.p99_ms", &needs->p99_ms)) < 0 ||
	    (error = put(out, "declared.team_size", &needs->team_size)) < 0 ||
	    (error = put(out, "declared.price_per_server",
	                 &needs->price_per_server)) < 0 ||
	    (error = put(out, "declared.python_rps_per_core",
	                 &needs->python_rps_per_core)) < 0 ||
	    (error = put(out, "declared.go_rps_per_core",
	                 &needs->go_rps_per_core)) < 0 ||
	    (error = put(out, "declared.cores_per_server",
	                 &needs->cores_per_server)) < 0)
		return error;
	return 0;
}
