/* The static partitioning configuration: /chosen/lull-domains in the
 * device tree the hypervisor boots with (the rig firmware merges it from
 * fw_cfg opt/lull/config as an overlay; a real boot loader would put it
 * there). Reference: docs/configuration.md. */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H
#include "domain.h"

/* Parse and validate; every error stops boot naming the node and
 * property. Returns the number of domains (0: no configuration). */
unsigned config_parse(const void *fdt, struct domain_config *out, unsigned max);
#endif
