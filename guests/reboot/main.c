/* SYSTEM_RESET reboots the domain from its images: the first boot leaves a
 * mark in RAM outside its image and resets; the second finds the mark (RAM
 * is kept, the image is reloaded) and powers off. */
#include <lull/mmio.h>
#include "guest.h"

#define MARK_ADDR 0x40001000UL     /* below the image (loaded at +0x80000) */
#define MARK      0x52454254UL     /* "REBT" */

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	if (mmio_read32(MARK_ADDR) != MARK) {
		mmio_write32(MARK_ADDR, MARK);
		gprintf("reboot: first boot (dtb 0x%lx), SYSTEM_RESET\n", dtb);
		hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		gprintf("reboot: FAIL: SYSTEM_RESET returned\n");
		guest_system_off();
	}
	mmio_write32(MARK_ADDR, 0);
	gprintf("reboot: second boot (dtb 0x%lx)\n", dtb);
	guest_system_off();
}
