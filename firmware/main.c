/* Rig firmware: cold boot, console, system power. */
#include <stdarg.h>
#include <lull/arch.h>
#include <lull/format.h>
#include <lull/mmio.h>
#include <lull/pl011.h>
#include "fw.h"

struct fw_platform fw_plat;
struct fw_cpu fw_cpus[FW_MAX_CPUS];
struct fw_faults fw_faults;
spinlock_t fw_psci_lock = SPINLOCK_INIT;
volatile uint32_t fw_cold_boot_done;
static spinlock_t log_lock = SPINLOCK_INIT;

unsigned fw_this_cpu(void)
{
	return (unsigned)read_sysreg(tpidr_el3);
}

static uint64_t work_since[FW_MAX_CPUS];   /* 0: not working */
static uint64_t work_total;

void fw_work_begin(void)
{
	uint64_t *since = &work_since[fw_this_cpu()];

	if (!*since)
		*since = read_sysreg(cntpct_el0) | 1;
}

void fw_work_end(void)
{
	uint64_t *since = &work_since[fw_this_cpu()];

	if (*since) {
		__atomic_fetch_add(&work_total, read_sysreg(cntpct_el0) - *since, __ATOMIC_RELAXED);
		*since = 0;
	}
}

uint64_t fw_work_total(void)
{
	return __atomic_load_n(&work_total, __ATOMIC_RELAXED);
}

void fw_enter_payload(uint64_t entry, uint64_t context_id)
{
	fw_work_end();
	fw_poison_el2();
	fw_enter_ns_el2(entry, context_id);
}

static void uart_sink(char c, void *ctx)
{
	(void)ctx;
	if (c == '\n')
		pl011_putc(SECURE_UART_BASE, '\r');
	pl011_putc(SECURE_UART_BASE, c);
}

void fw_log(const char *fmt, ...)
{
	char prefix[24];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "[fw cpu%u] ", fw_this_cpu());
	spin_lock(&log_lock);
	for (const char *p = prefix; *p; p++)
		uart_sink(*p, NULL);
	va_start(ap, fmt);
	format_v(uart_sink, NULL, fmt, ap);
	va_end(ap);
	uart_sink('\n', NULL);
	spin_unlock(&log_lock);
}

static NORETURN void gpio_pulse(unsigned pin)
{
	/* PL061: direction register at 0x400, data addressed by mask << 2. */
	mmio_write32(SECURE_GPIO_BASE + 0x400, 1U << pin);
	mmio_write32(SECURE_GPIO_BASE + (4U << pin), 0);
	mmio_write32(SECURE_GPIO_BASE + (4U << pin), 1U << pin);
	for (;;)
		wfi();
}

void fw_system_off(void)
{
	fw_log("system off");
	gpio_pulse(GPIO_PIN_POWEROFF);
}

void fw_system_reset(void)
{
	fw_log("system reset");
	gpio_pulse(GPIO_PIN_RESET);
}

void fw_panic(const char *why)
{
	fw_log("FIRMWARE PANIC: %s", why);
	fw_system_off();
}

void lull_stack_chk_failed(void)
{
	fw_panic("stack protector");
}

void fw_primary_main(void)
{
	pl011_init(SECURE_UART_BASE);
	fw_cpu_el3_init();
	fw_log("Lull rig firmware: PSCI 1.1, power-loss simulation on");
	fw_dt_probe_and_fixup();
	fw_read_faults();
	fw_gic_dist_init();
	fw_gic_cpu_init(0);
	fw_cpus[0].state = PSCI_CPU_ON_STATE;
	fw_cpus[0].times_on = 1;
	dsb(sy);
	fw_cold_boot_done = 1;
	dsb(sy);
	sev();
	fw_gic_handover(0);
	fw_log("entering EL2 payload at 0x%lx, dtb 0x%lx", NS_PAYLOAD_ENTRY, NS_DTB_ADDR);
	fw_enter_payload(NS_PAYLOAD_ENTRY, NS_DTB_ADDR);
}

void fw_secondary_main(unsigned cpu)
{
	fw_cpu_el3_init();
	if (!fw_plat.present[cpu])
		for (;;)
			wfi();
	fw_gic_cpu_init(cpu);
	fw_cpu_parked();
}
