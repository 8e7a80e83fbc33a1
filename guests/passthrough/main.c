/* A device passed through: the PL031 RTC's alarm interrupt (SPI 2, INTID
 * 34) arrives through the virtual GIC, three times, the guest sleeping in
 * WFI in between and clearing the device each time. */
#include <lull/arch.h>
#include <lull/mmio.h>
#include "gic.h"
#include "guest.h"

#define RTC        0x09010000UL
#define RTC_DR     0x00
#define RTC_MR     0x04
#define RTC_IMSC   0x10
#define RTC_MIS    0x18
#define RTC_ICR    0x1c
#define RTC_INTID  34
#define ALARMS     3

static volatile unsigned alarms;

static void on_irq(void)
{
	uint32_t iar = gic_ack();

	if ((gic_intid(iar)) == RTC_INTID && (mmio_read32(RTC + RTC_MIS) & 1)) {
		mmio_write32(RTC + RTC_ICR, 1);   /* the device drops its line */
		alarms++;
	}
	if ((gic_intid(iar)) < 1020)
		gic_eoi(iar);
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	guest_irq_handler = on_irq;
	gic_init_distributor();
	gic_init_cpu(0);
	gic_enable(0, RTC_INTID, 0x80);
	irq_enable();
	mmio_write32(RTC + RTC_IMSC, 1);
	for (unsigned i = 0; i < ALARMS; i++) {
		unsigned before = alarms;
		mmio_write32(RTC + RTC_MR, mmio_read32(RTC + RTC_DR) + 1);
		while (alarms == before)
			wfi();
		gprintf("passthrough: RTC alarm %u taken\n", alarms);
	}
	gprintf("passthrough: done\n");
	guest_system_off();
}
