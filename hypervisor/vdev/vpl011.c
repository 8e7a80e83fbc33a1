/* A virtual PL011 per domain at the guest's UART address. Output goes to
 * the hypervisor console a line at a time, prefixed with the domain's name.
 * Enough of the PL011 (Arm DDI 0183) for Linux's amba-pl011 driver and our
 * bare-metal guests: data, flags, control, interrupt mask/status and the
 * PrimeCell identification registers. Input arrives from the console when
 * the domain has the input focus (Ctrl-A), into a 32-byte receive FIFO.
 * The interrupt (SPI 33) is level: RIS & IMSC, with RX pending while the
 * FIFO holds data and TX always pending (the transmit FIFO never fills). */
#include <lull/format.h>
#include <lull/pl011.h>
#include <lull/spinlock.h>
#include <string.h>
#include "console.h"
#include "domain.h"
#include "hyp.h"
#include "mmio.h"
#include "smp.h"
#include "gic.h"
#include "vdev.h"
#include "vgic.h"

#define UARTIFLS  0x034
#define UARTRIS   0x03c
#define FR_TXFE   (1U << 7)
#define FR_RXFE   (1U << 4)
#define INT_RX    (1U << 4)
#define INT_TX    (1U << 5)
#define INT_RT    (1U << 6)
#define RX_FIFO   32
#define UART_INTID 33

struct vpl011 {
	spinlock_t lock;             /* the guest's vCPUs may write at once */
	char line[128];
	unsigned len, shown;        /* characters held, and already written */
	uint32_t cr, lcrh, ibrd, fbrd, ifls, imsc, ris;
	char rx[RX_FIFO];
	unsigned rx_head, rx_count;
	bool line_level;            /* what the virtual GIC was last told */
};

static struct vpl011 uarts[MAX_DOMAINS];

/* PrimeCell PL011 identification, offsets 0xfe0-0xffc. */
static const uint8_t id_regs[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* Output goes out a line at a time with the domain's name in front; a
 * partial line (a prompt) is written as it grows, its prefix once, and
 * again with the whole line if other output came in between. */
static void write_out(struct domain *d, struct vpl011 *u, bool newline)
{
	char whole[sizeof(u->line) + 24], rest[sizeof(u->line) + 2];
	const char *nl = newline ? "\n" : "";

	snprintf(whole, sizeof(whole), "[%s] %.*s%s", d->cfg.name, (int)u->len, u->line, nl);
	snprintf(rest, sizeof(rest), "%.*s%s", (int)(u->len - u->shown), u->line + u->shown, nl);
	console_write_owned(u, whole, rest, newline);
}

static void flush_line(struct domain *d, struct vpl011 *u)
{
	write_out(d, u, true);
	u->len = u->shown = 0;
}

static void flush_partial(struct domain *d, struct vpl011 *u)
{
	if (u->len == sizeof(u->line)) {
		flush_line(d, u);
		return;
	}
	write_out(d, u, false);
	u->shown = u->len;
}

/* Called with the lock held; returns the new interrupt line level. */
static bool update_ris(struct vpl011 *u)
{
	u->ris = (u->ris & ~(INT_RX | INT_RT)) | INT_TX | (u->rx_count ? INT_RX | INT_RT : 0);
	return (u->ris & u->imsc) != 0;
}

static void set_line(struct domain *d, struct vpl011 *u, bool level)
{
	if (level != u->line_level && vgic_present()) {
		u->line_level = level;
		vgic_inject(d, NULL, UART_INTID, level);
	}
}

bool vpl011_rx_space(struct domain *d)
{
	return uarts[d->id].rx_count < RX_FIFO;
}

void vpl011_receive(struct domain *d, char c)
{
	struct vpl011 *u = &uarts[d->id];
	bool level;

	spin_lock(&u->lock);
	if (u->rx_count < RX_FIFO) {
		u->rx[(u->rx_head + u->rx_count) % RX_FIFO] = c;
		u->rx_count++;
	}
	level = update_ris(u);
	spin_unlock(&u->lock);
	set_line(d, u, level);
}

static bool uart_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	struct vpl011 *u = dev;
	bool level;

	if (len > 4)
		return false;
	spin_lock(&u->lock);
	switch (off) {
	case PL011_DR:
		*val = 0;
		if (u->rx_count) {
			*val = (uint8_t)u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % RX_FIFO;
			/* Room again: the console may have more typed for us. */
			if (u->rx_count-- == RX_FIFO && console_input_pending())
				smp_kick(0);
		}
		break;
	case PL011_FR: *val = FR_TXFE | (u->rx_count ? 0 : FR_RXFE); break;
	case PL011_IBRD: *val = u->ibrd; break;
	case PL011_FBRD: *val = u->fbrd; break;
	case PL011_LCRH: *val = u->lcrh; break;
	case PL011_CR: *val = u->cr; break;
	case UARTIFLS: *val = u->ifls; break;
	case PL011_IMSC: *val = u->imsc; break;
	case UARTRIS: *val = u->ris; break;
	case PL011_MIS: *val = u->ris & u->imsc; break;
	default:
		*val = off >= 0xfe0 && off < 0x1000 ? id_regs[(off - 0xfe0) / 4] : 0;
		break;
	}
	level = update_ris(u);
	spin_unlock(&u->lock);
	set_line(v->dom, u, level);
	return true;
}

static bool uart_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	struct vpl011 *u = dev;
	struct domain *d = v->dom;
	bool level;

	if (len > 4)
		return false;
	spin_lock(&u->lock);
	switch (off) {
	case PL011_DR: {
		char c = (char)(val & 0xff);
		if (c == '\n') {
			flush_line(d, u);
		} else if (c != '\r') {
			u->line[u->len++] = c;
			/* The domain being typed to sees its prompt at once. */
			if (u->len == sizeof(u->line) || console_focus_domain == (int)d->id)
				flush_partial(d, u);
		}
		break;
	}
	case PL011_IBRD: u->ibrd = (uint32_t)val & 0xffff; break;
	case PL011_FBRD: u->fbrd = (uint32_t)val & 0x3f; break;
	case PL011_LCRH: u->lcrh = (uint32_t)val & 0xff; break;
	case PL011_CR: u->cr = (uint32_t)val & 0xffff; break;
	case UARTIFLS: u->ifls = (uint32_t)val & 0x3f; break;
	case PL011_IMSC: u->imsc = (uint32_t)val & 0x7ff; break;
	case PL011_ICR: u->ris &= ~(uint32_t)val; break;
	default: break;   /* read-only or unimplemented: ignored as on hardware */
	}
	level = update_ris(u);
	spin_unlock(&u->lock);
	set_line(d, u, level);
	return true;
}

static const struct mmio_ops vpl011_ops = { .read = uart_read, .write = uart_write };

void vpl011_reset(struct domain *d)
{
	struct vpl011 *u = &uarts[d->id];

	spin_lock(&u->lock);
	if (u->len)
		flush_line(d, u);
	u->cr = 0x300;        /* TXE, RXE: the reset value */
	u->lcrh = u->ibrd = u->fbrd = u->imsc = 0;
	u->ifls = 0x12;
	u->rx_head = u->rx_count = 0;
	u->line_level = false;
	update_ris(u);
	spin_unlock(&u->lock);
}

void vpl011_init(struct domain *d)
{
	vpl011_reset(d);
	if (mmio_register(d, GUEST_UART, PAGE_SIZE, &vpl011_ops, &uarts[d->id]))
		panic("domain %s: too many emulated devices", d->cfg.name);
}
