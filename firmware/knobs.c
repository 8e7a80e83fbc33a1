/* Fault-injection knobs from QEMU's fw_cfg, so that a test selects them per
 * run without rebuilding: -fw_cfg name=opt/lull/faults,string=KEY=N,...
 *   fail_cpu_on=N    the Nth CPU_ON call (counting from 1) fails with
 *                    INTERNAL_FAILURE
 *   lose_cpu=C       core C never comes back once it has been turned off
 *   late_cpu=C       core C comes back 2.5 s late, once, after it has been
 *                    turned off (later than a caller waits for it)
 *   deny_suspend=N   the Nth SYSTEM_SUSPEND call is DENIED */
#include <lull/arch.h>
#include <lull/fw_cfg.h>
#include <string.h>
#include <stdlib.h>
#include "fw.h"

static void apply(const char *key, unsigned long v)
{
	if (!strcmp(key, "fail_cpu_on"))
		fw_faults.fail_cpu_on = (unsigned)v;
	else if (!strcmp(key, "lose_cpu"))
		fw_faults.lose_cpu = (int)v;
	else if (!strcmp(key, "late_cpu"))
		fw_faults.late_cpu = (int)v;
	else if (!strcmp(key, "deny_suspend"))
		fw_faults.deny_suspend = (unsigned)v;
	else
		fw_panic("unknown fault knob in opt/lull/faults");
	fw_log("fault knob: %s=%lu", key, v);
}

void fw_read_faults(void)
{
	char buf[128], *p;
	int rc;

	fw_faults.lose_cpu = -1;
	fw_faults.late_cpu = -1;
	rc = fw_cfg_read_file(FW_CFG_BASE, "opt/lull/faults", buf, sizeof(buf));
	if (rc == FW_CFG_ABSENT)
		return;
	if (rc == FW_CFG_TOO_LONG)
		fw_panic("opt/lull/faults too long");
	for (p = buf; *p;) {
		char *eq = strchr(p, '='), *end;
		unsigned long v;

		if (!eq)
			fw_panic("bad opt/lull/faults: expected key=value");
		*eq = '\0';
		v = strtoul(eq + 1, &end, 0);
		if (end == eq + 1 || (*end && *end != ','))
			fw_panic("bad opt/lull/faults value");
		apply(p, v);
		p = *end ? end + 1 : end;
	}
}
