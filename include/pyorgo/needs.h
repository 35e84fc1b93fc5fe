/*
 * needs.h: what the team declares about the new service (flags, or the
 * same keys in .pyorgo.json). Declared values win over detected signals;
 * the report shows each one and where it came from.
 */
#ifndef PYORGO_NEEDS_H
#define PYORGO_NEEDS_H

enum pyo_need_source {
	PYO_NEED_UNSET = 0,
	PYO_NEED_CONFIG, /* .pyorgo.json or --config FILE */
	PYO_NEED_FLAG,   /* command line */
};

struct pyo_need {
	double value;
	enum pyo_need_source source;
};

struct pyo_needs {
	/* api, crud, gateway, proxy, pipeline, cli, websocket, streaming,
	 * ml-inference, worker; NULL when not declared (borrowed) */
	const char *service;
	enum pyo_need_source service_source;
	struct pyo_need target_rps;
	struct pyo_need p99_ms;
	struct pyo_need team_size;
	struct pyo_need price_per_server;    /* USD a month */
	struct pyo_need python_rps_per_core; /* the user's own measurement */
	struct pyo_need go_rps_per_core;
	struct pyo_need cores_per_server; /* for the server count */
};

/* 1 when `kind` is one of the service kinds above. */
int pyo_needs_valid_service(const char *kind);

#endif
