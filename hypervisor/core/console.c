#include <stdarg.h>
#include <lull/format.h>
#include <lull/pl011.h>
#include <lull/mmio.h>
#include <lull/spinlock.h>
#include "console.h"
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"
#include "pm_device.h"

static uintptr_t uart;
/* out_lock serialises whole lines; taken with interrupts masked because
 * interrupt handlers print too. */
static spinlock_t out_lock = SPINLOCK_INIT;
/* Input ring: filled by the UART interrupt handler (any CPU), drained by
 * the shell on the boot CPU. in_lock protects head/tail. */
static spinlock_t in_lock = SPINLOCK_INIT;
static char in_ring[256];
static unsigned in_head, in_tail;
volatile int console_focus_domain = -1;
/* Who left a partial line on the UART (a domain's prompt, shown as it is
 * typed), under out_lock: anyone else writing first ends that line. */
static const void *open_line;

static void put(char c, void *ctx)
{
	(void)ctx;
	if (!uart)
		return;
	if (c == '\n')
		pl011_putc(uart, '\r');
	pl011_putc(uart, c);
}

/* Host suspend: the UART loses its configuration with the power. Output
 * is drained first (no byte lost), and nothing prints until resume (the
 * phase log is in memory); resume writes back the line settings the
 * firmware or boot gave it (baud divisors, line control) and our control
 * and interrupt mask registers. */
#define DRAIN_TIMEOUT_US 100000
static uint32_t saved_ibrd, saved_fbrd, saved_lcrh, saved_cr, saved_imsc;

static bool tx_idle(void *arg)
{
	(void)arg;
	return !(mmio_read32(uart + PL011_FR) & PL011_FR_BUSY);
}

static int uart_suspend(void)
{
	if (!wait_until(tx_idle, NULL, DRAIN_TIMEOUT_US))
		return -1;          /* a stuck transmitter: do not cut it off */
	saved_ibrd = mmio_read32(uart + PL011_IBRD);
	saved_fbrd = mmio_read32(uart + PL011_FBRD);
	saved_lcrh = mmio_read32(uart + PL011_LCRH);
	saved_cr = mmio_read32(uart + PL011_CR);
	saved_imsc = mmio_read32(uart + PL011_IMSC);
	return 0;
}

/* PL011 TRM 3.3.8: program the divisors and line control with the UART
 * disabled, LCRH after the divisors, then enable. */
static void uart_resume(void)
{
	mmio_write32(uart + PL011_CR, 0);
	mmio_write32(uart + PL011_IBRD, saved_ibrd);
	mmio_write32(uart + PL011_FBRD, saved_fbrd);
	mmio_write32(uart + PL011_LCRH, saved_lcrh);
	mmio_write32(uart + PL011_IMSC, saved_imsc);
	mmio_write32(uart + PL011_CR, saved_cr);
}

static struct pm_device uart_pm = {
	.name = "uart", .order = PM_ORDER_UART, .suspend = uart_suspend, .resume = uart_resume,
};

void console_init(uintptr_t base)
{
	uart = base;
	pl011_init(base);
	pm_device_register(&uart_pm);
}

static void puts_locked(const char *s)
{
	while (*s)
		put(*s++, NULL);
}

/* Under out_lock: a line of our own starts on a fresh line. */
static void end_open_line(void)
{
	if (open_line)
		put('\n', NULL);
	open_line = NULL;
}

void console_write_raw(const char *s)
{
	uint64_t flags = irq_save();
	spin_lock(&out_lock);
	puts_locked(s);
	spin_unlock(&out_lock);
	irq_restore(flags);
}

void console_write_owned(const void *owner, const char *whole, const char *rest, bool ends)
{
	uint64_t flags = irq_save();

	spin_lock(&out_lock);
	if (open_line == owner) {
		puts_locked(rest);
	} else {
		end_open_line();
		puts_locked(whole);
	}
	open_line = ends ? NULL : owner;
	spin_unlock(&out_lock);
	irq_restore(flags);
}

static void vprintk(const char *fmt, va_list ap)
{
	char prefix[16];
	uint64_t flags = irq_save();
	unsigned cpu = read_sysreg(tpidr_el2) ? this_cpu_id() : 0;

	snprintf(prefix, sizeof(prefix), "[cpu%u] ", cpu);
	spin_lock(&out_lock);
	end_open_line();
	for (const char *p = prefix; *p; p++)
		put(*p, NULL);
	format_v(put, NULL, fmt, ap);
	put('\n', NULL);
	spin_unlock(&out_lock);
	irq_restore(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

static void uart_irq(unsigned intid, void *arg)
{
	int c;
	(void)intid;
	(void)arg;

	/* Acknowledge first, then drain: a character arriving after the last
	 * read raises the interrupt again instead of waiting unseen. */
	mmio_write32(uart + PL011_ICR, PL011_INT_RX | PL011_INT_RT);
	spin_lock(&in_lock);
	while ((c = pl011_getc(uart)) >= 0) {
		unsigned next = (in_head + 1) % sizeof(in_ring);
		if (next != in_tail) {
			in_ring[in_head] = (char)c;
			in_head = next;
		}
	}
	spin_unlock(&in_lock);
	/* The shell runs on the boot CPU: wake it. */
	if (this_cpu_id() != 0)
		gic_ops->send_sgi(&percpus[0], SGI_KICK);
}

void console_enable_input(unsigned intid)
{
	mmio_write32(uart + PL011_IMSC, PL011_INT_RX | PL011_INT_RT);
	if (irq_register_spi(intid, "uart", uart_irq, NULL, 0))
		printk("console: cannot use interrupt %u for input", intid);
}

bool console_input_pending(void)
{
	return in_tail != in_head;
}

bool console_input_contains(char wanted)
{
	bool found = false;
	uint64_t flags = irq_save();

	spin_lock(&in_lock);
	for (unsigned i = in_tail; i != in_head && !found; i = (i + 1) % sizeof(in_ring))
		found = in_ring[i] == wanted;
	spin_unlock(&in_lock);
	irq_restore(flags);
	return found;
}

int console_peekc(void)
{
	int c = -1;
	uint64_t flags = irq_save();

	spin_lock(&in_lock);
	if (in_tail != in_head)
		c = (unsigned char)in_ring[in_tail];
	spin_unlock(&in_lock);
	irq_restore(flags);
	return c;
}

int console_getc(void)
{
	int c = -1;
	uint64_t flags = irq_save();

	spin_lock(&in_lock);
	if (in_tail != in_head) {
		c = (unsigned char)in_ring[in_tail];
		in_tail = (in_tail + 1) % sizeof(in_ring);
	}
	spin_unlock(&in_lock);
	irq_restore(flags);
	return c;
}
