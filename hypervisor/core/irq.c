#include <lull/format.h>
#include <lull/spinlock.h>
#include "gic.h"
#include "hyp.h"
#include "irq.h"
#include "percpu.h"

#define MAX_INTID 1020
#define HYP_IRQ_PRIORITY 0x80

struct irq_desc {
	irq_handler fn;
	void *arg;
	const char *name;
	unsigned target;          /* SPIs: the CPU it is routed to */
	bool edge;
	bool forwarded;           /* deactivated by a guest (list register HW bit) */
	/* Host suspend (irq_suspend_mask): the routing and enable to restore. */
	unsigned saved_target;
	bool saved_enabled;
	uint64_t count[MAX_CPUS];
};

static struct irq_desc descs[MAX_INTID];
static spinlock_t irq_lock = SPINLOCK_INIT;

bool irq_valid_spi(unsigned intid)
{
	return intid >= 32 && intid < gic.lines && intid < MAX_INTID;
}

int irq_set_pending(unsigned intid)
{
	uint64_t flags = irq_save();
	int rc = -1;

	spin_lock(&irq_lock);
	if (irq_valid_spi(intid) && descs[intid].fn) {
		gic_set_pending_spi(intid);
		rc = 0;
	}
	spin_unlock(&irq_lock);
	irq_restore(flags);
	return rc;
}

void irq_register_private(unsigned intid, const char *name, irq_handler fn, void *arg,
			  bool edge)
{
	descs[intid] = (struct irq_desc){ .fn = fn, .arg = arg, .name = name, .edge = edge };
}

int irq_register_spi(unsigned intid, const char *name, irq_handler fn, void *arg,
		     unsigned cpu)
{
	uint64_t flags;

	if (!irq_valid_spi(intid) || cpu >= MAX_CPUS || percpus[cpu].state != CPU_ONLINE)
		return -1;
	flags = irq_save();
	spin_lock(&irq_lock);
	descs[intid] = (struct irq_desc){ .fn = fn, .arg = arg, .name = name, .target = cpu };
	gic_ops->configure(intid, HYP_IRQ_PRIORITY, false);
	gic_ops->route(intid, &percpus[cpu]);
	gic_ops->enable(intid, true);
	spin_unlock(&irq_lock);
	irq_restore(flags);
	return 0;
}

int irq_set_forwarded(unsigned intid)
{
	if (!irq_valid_spi(intid) || !descs[intid].fn)
		return -1;
	descs[intid].forwarded = true;
	return 0;
}

int irq_route(unsigned intid, unsigned cpu)
{
	uint64_t flags;
	int rc = -1;

	if (!irq_valid_spi(intid) || cpu >= MAX_CPUS)
		return -1;
	flags = irq_save();
	spin_lock(&irq_lock);
	if (descs[intid].fn && percpus[cpu].state == CPU_ONLINE) {
		descs[intid].target = cpu;
		gic_ops->route(intid, &percpus[cpu]);
		rc = 0;
	}
	spin_unlock(&irq_lock);
	irq_restore(flags);
	return rc;
}

unsigned irq_migrate(unsigned cpu, unsigned to)
{
	unsigned moved = 0;
	uint64_t flags = irq_save();

	spin_lock(&irq_lock);
	for (unsigned i = 32; i < gic.lines && i < MAX_INTID; i++) {
		if (!descs[i].fn || descs[i].target != cpu)
			continue;
		descs[i].target = to;
		gic_ops->route(i, &percpus[to]);
		moved++;
	}
	spin_unlock(&irq_lock);
	irq_restore(flags);
	return moved;
}

void irq_suspend_mask(const uint32_t *wake)
{
	uint64_t flags = irq_save();

	spin_lock(&irq_lock);
	for (unsigned i = 32; i < gic.lines && i < MAX_INTID; i++) {
		struct irq_desc *d = &descs[i];
		bool keep = (wake[i / 32] >> (i % 32)) & 1;

		if (!d->fn)
			continue;
		d->saved_target = d->target;
		d->saved_enabled = gic_ops->enabled(i);
		if (keep) {
			d->target = 0;
			gic_ops->route(i, &percpus[0]);
			gic_ops->enable(i, true);
		} else if (d->saved_enabled) {
			gic_ops->enable(i, false);
		}
	}
	spin_unlock(&irq_lock);
	irq_restore(flags);
}

void irq_resume_unmask(void)
{
	uint64_t flags = irq_save();

	spin_lock(&irq_lock);
	for (unsigned i = 32; i < gic.lines && i < MAX_INTID; i++) {
		struct irq_desc *d = &descs[i];
		unsigned to = d->saved_target;

		if (!d->fn)
			continue;
		/* As it was, on the CPU it was routed to if that one came
		 * back (else CPU 0, as any SPI of an offline CPU). */
		d->target = to < MAX_CPUS && percpus[to].state == CPU_ONLINE ? to : 0;
		gic_ops->route(i, &percpus[d->target]);
		gic_ops->enable(i, d->saved_enabled);
	}
	spin_unlock(&irq_lock);
	irq_restore(flags);
}

void irq_cpu_up(void)
{
	struct percpu *c = this_cpu();

	gic_ops->cpu_init(c);
	for (unsigned i = 0; i < 32; i++) {
		if (!descs[i].fn)
			continue;
		gic_ops->configure(i, HYP_IRQ_PRIORITY, descs[i].edge);
		gic_ops->enable(i, true);
	}
}

void irq_cpu_down(void)
{
	gic_ops->cpu_teardown(this_cpu());
}

void irq_handle(void)
{
	unsigned cpu = this_cpu_id();

	for (;;) {
		uint32_t iar = gic_ops->ack();
		unsigned intid = gic_intid(iar);
		struct irq_desc *d;

		if (intid >= 1020)
			return;
		gic_ops->priority_drop(iar);
		d = intid < MAX_INTID ? &descs[intid] : NULL;
		if (d && d->fn) {
			d->count[cpu]++;
			d->fn(intid, d->arg);
		} else {
			printk("irq: spurious interrupt %u, disabled", intid);
			gic_ops->enable(intid, false);
		}
		if (!d || !d->forwarded)
			gic_ops->deactivate(iar);
	}
}

void irq_show(void)
{
	for (unsigned i = 0; i < MAX_INTID; i++) {
		struct irq_desc *d = &descs[i];
		char counts[MAX_CPUS * 12 + 1], *p = counts;

		if (!d->fn)
			continue;
		*p = '\0';
		for (unsigned c = 0; c < nr_cpus; c++)
			p += snprintf(p, sizeof(counts) - (size_t)(p - counts), " %lu", d->count[c]);
		if (i >= 32)
			printk("irq %-4u %-10s -> cpu%u  counts:%s", i, d->name, d->target, counts);
		else
			printk("irq %-4u %-10s per-cpu  counts:%s", i, d->name, counts);
	}
}
