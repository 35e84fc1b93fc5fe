/*
 * report_int.h: what the engine's stages share about findings beyond
 * pyorgo/report.h.
 */
#ifndef PYORGO_REPORT_INT_H
#define PYORGO_REPORT_INT_H

#include "pyorgo/report.h"
#include "arena.h"

/*
 * pyo_findings_add(), with the finding's strings in `arena` when it is
 * not NULL (marked PYO_FINDING_IN_REPORT: the arena must end up in the
 * report's `strings` before the report is handed out). A scan's workers
 * make tens of thousands of findings: one block each cost a malloc()
 * there and a free() in the serial step that caps the list.
 */
int pyo_findings_add_in(struct pyo_findings *list,
                        const struct pyo_finding *f,
                        struct pyo_arena *arena);

#endif
