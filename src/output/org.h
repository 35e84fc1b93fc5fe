/* org.h: writers for the organisation summary of `pyorgo merge`. */
#ifndef PYORGO_ORG_H
#define PYORGO_ORG_H

#include <stdio.h>

#include "pyorgo/merge.h"
#include "sections.h"

void pyo_org_write_text(FILE *out,
                        const struct pyo_org *org,
                        const struct pyo_text_style *st);
void pyo_org_write_json(FILE *out, const struct pyo_org *org);
void pyo_org_write_markdown(FILE *out, const struct pyo_org *org);

#endif
