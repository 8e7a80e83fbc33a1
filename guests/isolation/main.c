/* A hostile domain: it touches memory and devices it does not own. Each
 * access must come back to it as an abort (never reach another domain,
 * never stop the hypervisor), after which it reports and powers off. */
#include <lull/mmio.h>
#include "guest.h"

static volatile unsigned aborts;
static volatile uint64_t last_esr, last_far;

static bool on_abort(struct exception_frame *f, uint64_t esr, uint64_t far)
{
	unsigned ec = (unsigned)(esr >> 26);

	if (ec != 0x25 && ec != 0x21)   /* data / instruction abort, same EL */
		return false;
	aborts++;
	last_esr = esr;
	last_far = far;
	f->elr += 4;
	return true;
}

static void probe(const char *what, uint64_t addr, bool write)
{
	unsigned before = aborts;

	if (write)
		mmio_write32(addr, 0xbad);
	else
		(void)mmio_read32(addr);
	gprintf("isolation: %s 0x%lx: %s (ESR 0x%lx)\n", what, addr,
		aborts > before ? "abort" : "NO ABORT", last_esr);
}

void guest_secondary_main(uint64_t ctx)
{
	(void)ctx;
}

void guest_main(uint64_t dtb)
{
	(void)dtb;
	guest_sync_handler = on_abort;
	probe("read just beyond its RAM", 0x40000000UL + (32UL << 20), false);
	probe("write beyond its RAM", 0x48000000UL, true);
	probe("write to a device it does not own (RTC)", 0x09010000UL, true);
	probe("read of secure RAM", 0x0e000000UL, false);
	probe("read high in its address space", 0x7000000000UL, false);
	probe("read beyond its address space", 0x10000000000UL, false);
	/* The hardware domain's control channel (lull/ctl_abi.h): not ours. */
	probe("read of the control channel's registers", 0x090e0000UL, false);
	probe("write of the control channel's command", 0x090e0010UL, true);
	probe("read of the control channel's window", 0x09100000UL, false);
	probe("write of the control channel's window", 0x09100000UL, true);
	gprintf("isolation: %u aborts; powering off\n", aborts);
	guest_system_off();
}
