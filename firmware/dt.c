/* Learn the platform from QEMU's device tree and complete it for the
 * hypervisor: a PSCI node (method smc) and a PSCI enable-method per CPU. */
#include <libfdt.h>
#include <lull/arch.h>
#include <lull/gic_regs.h>
#include <lull/fw_cfg.h>
#include <lull/mmio.h>
#include "fw.h"

static void *dtb(void)
{
	return (void *)NS_DTB_ADDR;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	while (cells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

static void probe_gic(void *fdt)
{
	static const char *const compat[] = { "arm,gic-v3", "arm,cortex-a15-gic", "arm,gic-400" };
	int node = -1, len;
	const fdt32_t *reg;

	for (unsigned i = 0; i < ARRAY_SIZE(compat) && node < 0; i++) {
		node = fdt_node_offset_by_compatible(fdt, -1, compat[i]);
		if (node >= 0)
			fw_plat.gic_version = i == 0 ? 3 : 2;
	}
	if (node < 0)
		fw_panic("no GIC in the device tree");
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len < 32)
		fw_panic("GIC node without reg");
	fw_plat.gicd = read_cells(reg, 2);
	if (fw_plat.gic_version == 3) {
		fw_plat.gicr = read_cells(reg + 4, 2);
	} else {
		fw_plat.gicc = read_cells(reg + 4, 2);
		if (len >= 48)
			fw_plat.gich = read_cells(reg + 8, 2);
	}
	fw_plat.spi_lines = GICD_TYPER_LINES(mmio_read32(fw_plat.gicd + GICD_TYPER));
	if (fw_plat.spi_lines > GIC_MAX_SPI)
		fw_plat.spi_lines = GIC_MAX_SPI;
}

static void probe_memory(void *fdt)
{
	int node, len;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *status = fdt_getprop(fdt, node, "status", NULL);
		const fdt32_t *reg;

		if (!type || strcmp(type, "memory") || (status && strcmp(status, "okay")))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		for (int i = 0; reg && i + 16 <= len && fw_plat.nram < ARRAY_SIZE(fw_plat.ram); i += 16) {
			fw_plat.ram[fw_plat.nram].base = read_cells(reg + i / 4, 2);
			fw_plat.ram[fw_plat.nram].size = read_cells(reg + i / 4 + 2, 2);
			fw_plat.nram++;
		}
	}
	if (!fw_plat.nram)
		fw_panic("no Non-secure memory in the device tree");
}

static void probe_and_fix_cpus(void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;

	if (cpus < 0)
		fw_panic("no /cpus node");
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const fdt32_t *reg;
		uint64_t mpidr;
		unsigned idx;
		int len;

		if (!type || strcmp(type, "cpu"))
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			continue;
		mpidr = read_cells(reg, len / 4);
		idx = mpidr_aff(mpidr, 1) * 8 + mpidr_aff(mpidr, 0);
		if (idx >= FW_MAX_CPUS)
			continue;
		fw_plat.mpidr[idx] = mpidr;
		fw_plat.present[idx] = true;
		fw_plat.ncpus++;
		if (fdt_setprop_string(fdt, node, "enable-method", "psci"))
			fw_panic("cannot set enable-method");
		/* fdt_setprop may move nodes: fdt_for_each_subnode re-reads offsets. */
	}
}

static void add_psci_node(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2\0arm,psci";
	int node = fdt_path_offset(fdt, "/psci");

	if (node >= 0)
		fdt_del_node(fdt, node);
	node = fdt_add_subnode(fdt, 0, "psci");
	if (node < 0 || fdt_setprop(fdt, node, "compatible", compat, sizeof(compat)) ||
	    fdt_setprop_string(fdt, node, "method", "smc"))
		fw_panic("cannot add the psci node");
}

/* The hypervisor's partitioning configuration, if the test or user gave
 * one (-fw_cfg name=opt/lull/config,file=config.dtbo): merged into
 * /chosen as a real boot loader would. */
static void apply_config_overlay(void *fdt)
{
	static char overlay[64 << 10];
	int rc = fw_cfg_read_file(FW_CFG_BASE, "opt/lull/config", overlay, sizeof(overlay));

	if (rc == FW_CFG_ABSENT)
		return;
	if (rc == FW_CFG_TOO_LONG)
		fw_panic("opt/lull/config is larger than 64 KiB");
	if (fdt_check_header(overlay))
		fw_panic("opt/lull/config is not a device tree overlay");
	rc = fdt_overlay_apply(fdt, overlay);
	if (rc) {
		fw_log("config overlay: %s", fdt_strerror(rc));
		fw_panic("cannot apply opt/lull/config");
	}
	fw_log("configuration overlay applied (%u bytes)", fdt_totalsize(overlay));
}

void fw_dt_probe_and_fixup(void)
{
	void *fdt = dtb();

	if (fdt_check_header(fdt) || fdt_open_into(fdt, fdt, NS_DTB_MAX_SIZE))
		fw_panic("no valid device tree at 0x40000000");
	probe_gic(fdt);
	probe_memory(fdt);
	probe_and_fix_cpus(fdt);
	add_psci_node(fdt);
	apply_config_overlay(fdt);
	if (fdt_pack(fdt))
		fw_panic("fdt_pack failed");
	fw_log("platform: GICv%u, %u CPUs, %u interrupt lines, RAM 0x%lx+0x%lx",
	       fw_plat.gic_version, fw_plat.ncpus, fw_plat.spi_lines,
	       fw_plat.ram[0].base, fw_plat.ram[0].size);
}
