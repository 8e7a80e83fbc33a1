/* Cold boot on the boot CPU. Everything here is boot-only (__boot): once
 * the system is up this code is no longer executable. */
#include <lull/gic_regs.h>
#include <lull/psci.h>
#include "console.h"
#include "cpu_view.h"
#include "domain.h"
#include "el2_regs.h"
#include "sched.h"
#include "vgic.h"
#include "vm.h"
#include "vwdt.h"
#include "vtimer.h"
#include "gic.h"
#include "hotplug.h"
#include "host_pm.h"
#include "hyp.h"
#include "irq.h"
#include "mmu.h"
#include "page_alloc.h"
#include "percpu.h"
#include "platform.h"
#include "psci_client.h"
#include "shell.h"
#include "smp.h"
#include "timer.h"

struct gic_desc gic;
const struct gic_ops *gic_ops;

extern char __hyp_start[], __text_end[], __rodata_end[], __hyp_end[];
extern char __boot_text_start[], __boot_text_end[];

static void __boot build_memory_map(void)
{
	uintptr_t base = (uintptr_t)__hyp_start;

	/* Devices live below 1 GiB on QEMU virt (GIC, UART, RTC, GPIO). */
	mmu_map(0, 0, 1UL << 30, MAP_DEVICE);
	for (unsigned i = 0; i < plat.nram; i++)
		mmu_map(plat.ram[i].base, plat.ram[i].base, plat.ram[i].size, MAP_DATA);
	mmu_map(base, base, (uintptr_t)__text_end - base, MAP_TEXT);
	mmu_map((uintptr_t)__text_end, (uintptr_t)__text_end,
		(uintptr_t)__rodata_end - (uintptr_t)__text_end, MAP_RODATA);
	mmu_setup(cpu_caps_pa_range_field(hotplug_pa_bits()));
}

static void __boot cpu_boot_local_setup(void)
{
	el2_cpu_init();   /* every EL2 control register, VTCR_EL2 included */
	timer_cpu_up();
	irq_cpu_up();
	percpus[0].times_online = 1;
	percpus[0].state = CPU_ONLINE;
}

void boot_done(void) __attribute__((noreturn));

void __boot boot_main(const void *dtb)
{
	uint64_t mpidr = mpidr_affinity(read_sysreg(mpidr_el1));
	unsigned online = 1;

	platform_probe(dtb);
	write_sysreg(&percpus[0], tpidr_el2);
	console_init(plat.uart);
	printk("Lull hypervisor: EL2, GICv%u, %u CPUs, console PL011 at 0x%lx", gic.version, nr_cpus,
	       plat.uart);
	if (mpidr_affinity(percpus[0].mpidr) != mpidr)
		panic("boot CPU (MPIDR 0x%lx) must be the first CPU in /cpus", mpidr);
	timer_init();
	hotplug_set_chosen_caps();
	cpu_view_record_this_cpu();
	build_memory_map();
	mmu_enable();
	page_alloc_init((uintptr_t)__hyp_end, HYP_BASE + HYP_SIZE);

	gic.lines = GICD_TYPER_LINES(*(volatile uint32_t *)(gic.gicd + 4));
	if (gic.lines > 1020)
		gic.lines = 1020;
	gic_ops->dist_init();
	smp_init();
	vgic_init();
	if (vgic_present())
		vtimer_init();
	cpu_boot_local_setup();
	if (plat.uart_irq)
		console_enable_input(plat.uart_irq);
	irq_enable();

	/* Domains first: every CPU's run queue is complete before it starts. */
	domains_build();
	host_pm_init(plat.fdt);
	vwdt_pm_init();
	for (unsigned i = 1; i < nr_cpus; i++)
		if (cpu_online(i, true) == 0)
			online++;
	cpu_views_finalise();   /* the CPUs each domain may run on are known */

	printk("Lull ready: %u/%u CPUs online, PSCI %s, %zu KiB page pool", online, nr_cpus,
	       psci_call(PSCI_VERSION, 0, 0, 0) == PSCI_VERSION_1_1 ? "1.1" : "<1.1",
	       page_free_count() * 4);
	boot_done();
}

/* Not boot-only: it makes boot-only code non-executable, then becomes the
 * boot CPU's run loop (domains and the shell), so nothing ever returns
 * into boot code. */
void boot_done(void)
{
	mmu_map((uintptr_t)__boot_text_start, (uintptr_t)__boot_text_start,
		(uintptr_t)__boot_text_end - (uintptr_t)__boot_text_start, MAP_RODATA);
	mmu_flush_tlb();
	shell_prompt();
	irq_disable();
	sched_run_loop();
}
