/* Fault-injection knobs from QEMU's fw_cfg, so that a test selects them per
 * run without rebuilding: -fw_cfg name=opt/lull/faults,string=KEY=N,...
 *   fail_cpu_on=N    the Nth CPU_ON call (counting from 1) fails with
 *                    INTERNAL_FAILURE
 *   lose_cpu=C       core C never comes back once it has been turned off
 *   deny_suspend=N   the Nth SYSTEM_SUSPEND call is DENIED */
#include <lull/arch.h>
#include <lull/mmio.h>
#include <string.h>
#include <stdlib.h>
#include "fw.h"

#define FW_CFG_DATA     0x0
#define FW_CFG_SELECTOR 0x8
#define FW_CFG_FILE_DIR 0x19

static void cfg_select(uint16_t key)
{
	mmio_write16(FW_CFG_BASE + FW_CFG_SELECTOR, __builtin_bswap16(key));
}

static void cfg_read(void *buf, unsigned len)
{
	uint8_t *p = buf;
	while (len--)
		*p++ = mmio_read8(FW_CFG_BASE + FW_CFG_DATA);
}

static uint32_t cfg_read_be32(void)
{
	uint32_t v;
	cfg_read(&v, 4);
	return __builtin_bswap32(v);
}

static int cfg_find(const char *name, uint16_t *key, uint32_t *size)
{
	uint32_t count;

	cfg_select(FW_CFG_FILE_DIR);
	count = cfg_read_be32();
	if (count > 4096)
		return -1;
	for (uint32_t i = 0; i < count; i++) {
		struct { uint32_t size; uint16_t select, reserved; char name[56]; } e;
		cfg_read(&e, sizeof(e));
		if (!strncmp(e.name, name, sizeof(e.name))) {
			*key = __builtin_bswap16(e.select);
			*size = __builtin_bswap32(e.size);
			return 0;
		}
	}
	return -1;
}

static void apply(const char *key, unsigned long v)
{
	if (!strcmp(key, "fail_cpu_on"))
		fw_faults.fail_cpu_on = (unsigned)v;
	else if (!strcmp(key, "lose_cpu"))
		fw_faults.lose_cpu = (int)v;
	else if (!strcmp(key, "deny_suspend"))
		fw_faults.deny_suspend = (unsigned)v;
	else
		fw_panic("unknown fault knob in opt/lull/faults");
	fw_log("fault knob: %s=%lu", key, v);
}

void fw_read_faults(void)
{
	char buf[128], *p;
	uint16_t key;
	uint32_t size;

	fw_faults.lose_cpu = -1;
	if (cfg_find("opt/lull/faults", &key, &size))
		return;
	if (size >= sizeof(buf))
		fw_panic("opt/lull/faults too long");
	cfg_select(key);
	cfg_read(buf, size);
	buf[size] = '\0';
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
