/* Building domains from the configuration, and their lifecycle. */
#include <lull/format.h>
#include <string.h>
#include "config.h"
#include "cpu_view.h"
#include "domain.h"
#include "fpsimd.h"
#include "gic.h"
#include "guest_dt.h"
#include "hyp.h"
#include "page_alloc.h"
#include "percpu.h"
#include "platform.h"
#include "psci_client.h"
#include "sched.h"
#include "vdev.h"
#include "vm.h"
#include "vwdt.h"

#define ALIGN_2M      (2UL << 20)
#define DTB_MAX       (64UL << 10)
#define IMAGE_MAGIC   0x644d5241U   /* "ARM\x64" at offset 0x38 of an arm64 Image */

struct domain domains[MAX_DOMAINS];
unsigned nr_domains;

static void *pa_ptr(uint64_t pa)
{
	return (void *)(uintptr_t)pa;   /* all RAM is identity mapped at EL2 */
}

uint64_t domain_ipa_to_pa(const struct domain *d, uint64_t ipa, uint64_t len)
{
	uint64_t base = d->cfg.ram_ipa;

	if (ipa < base || ipa - base > d->cfg.mem_size || len > d->cfg.mem_size - (ipa - base))
		return 0;
	return d->cfg.mem_base + (ipa - base);
}

struct vcpu *domain_vcpu_by_mpidr(struct domain *d, uint64_t mpidr)
{
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		if (d->vcpu[i].vmpidr == (mpidr & MPIDR_AFF_MASK))
			return &d->vcpu[i];
	return NULL;
}

/* Memory placement: RAM minus the hypervisor, the boot device tree and the
 * images waiting to be copied into their domains. */
static void __boot place_memory(void)
{
	struct range reserved[2 + 2 * MAX_DOMAINS], req[MAX_DOMAINS];
	unsigned nres = 0, bad;
	enum place_error e;

	reserved[nres++] = (struct range){ HYP_BASE, HYP_SIZE };
	reserved[nres++] = (struct range){ plat.ram[0].base, ALIGN_2M };   /* boot DT */
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain_config *c = &domains[i].cfg;
		const struct image *img[2] = { &c->kernel, &c->initrd };
		for (unsigned k = 0; k < 2; k++)
			if (img[k]->size)
				reserved[nres++] = (struct range){
					img[k]->pa & ~(ALIGN_2M - 1),
					ALIGN_UP(img[k]->pa + img[k]->size, ALIGN_2M) -
						(img[k]->pa & ~(ALIGN_2M - 1)) };
		req[i] = (struct range){ c->mem_base, c->mem_size };
	}
	e = partition_place(plat.ram, plat.nram, reserved, nres, req, nr_domains, ALIGN_2M, &bad);
	if (e != PLACE_OK)
		panic("config: %s: 'lull,memory-%s': %s", domains[bad].cfg.node,
		      domains[bad].cfg.mem_base ? "base" : "size", place_error_text(e));
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain_config *c = &domains[i].cfg;

		c->mem_base = req[i].base;
		c->ram_ipa = c->mem_identity ? c->mem_base : GUEST_RAM_BASE;
		/* 1:1: the RAM must not cover the guest's device addresses
		 * (below GUEST_RAM_BASE on virt) and must fit stage 2. */
		if (c->mem_identity && (c->mem_base < GUEST_RAM_BASE ||
					c->mem_base + c->mem_size > (1UL << GUEST_IPA_BITS)))
			panic("config: %s: 'lull,memory-identity': RAM at 0x%lx cannot be seen at "
			      "the same guest address", c->node, c->mem_base);
	}
}

/* Copy the kernel (and initrd) into the domain's RAM and lay out the
 * device tree; sets the boot vCPU's entry point (Linux arm64 boot
 * protocol: x0 = DT, MMU off). */
static int load_images(struct domain *d)
{
	struct domain_config *c = &d->cfg;
	const uint8_t *k = pa_ptr(c->kernel.pa);
	uint64_t kernel_ipa, kernel_size = c->kernel.size, initrd_ipa = 0;

	if (c->kernel_raw) {
		kernel_ipa = c->load_ipa;
	} else {
		uint64_t text_offset, image_size;
		uint32_t magic;
		if (kernel_size < 64)
			return -1;
		memcpy(&magic, k + 0x38, 4);
		memcpy(&text_offset, k + 0x08, 8);
		memcpy(&image_size, k + 0x10, 8);
		if (magic != IMAGE_MAGIC) {
			printk("domain %s: kernel is not an arm64 Image (no magic); give"
			       " lull,kernel-load-address for a raw binary", c->name);
			return -1;
		}
		kernel_ipa = c->ram_ipa + text_offset;
		if (image_size > kernel_size)
			kernel_size = image_size;   /* room for its BSS */
	}
	d->dtb_ipa = c->ram_ipa + c->mem_size - ALIGN_2M;
	if (!domain_ipa_to_pa(d, kernel_ipa, kernel_size) || kernel_ipa + kernel_size > d->dtb_ipa) {
		printk("domain %s: kernel does not fit its RAM", c->name);
		return -1;
	}
	memcpy(pa_ptr(domain_ipa_to_pa(d, kernel_ipa, c->kernel.size)), k, c->kernel.size);
	if (c->initrd.size) {
		initrd_ipa = (d->dtb_ipa - c->initrd.size) & ~(PAGE_SIZE - 1);
		if (initrd_ipa < kernel_ipa + kernel_size) {
			printk("domain %s: initrd does not fit its RAM", c->name);
			return -1;
		}
		memcpy(pa_ptr(domain_ipa_to_pa(d, initrd_ipa, c->initrd.size)),
		       pa_ptr(c->initrd.pa), c->initrd.size);
	}
	d->entry_ipa = kernel_ipa;
	memcpy(pa_ptr(domain_ipa_to_pa(d, d->dtb_ipa, d->dtb_size)), d->dtb_copy, d->dtb_size);
	(void)initrd_ipa;
	return 0;
}

static uint64_t initrd_ipa_of(const struct domain *d)
{
	uint64_t dtb_ipa = d->cfg.ram_ipa + d->cfg.mem_size - ALIGN_2M;
	return d->cfg.initrd.size ? (dtb_ipa - d->cfg.initrd.size) & ~(PAGE_SIZE - 1) : 0;
}

static void start_boot_vcpu(struct domain *d)
{
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		d->vcpu[i].power = VCPU_OFF;
	vcpu_reset(&d->vcpu[0], d->entry_ipa, d->dtb_ipa);
	d->vcpu[0].power = VCPU_ON_PENDING;
	d->state = DOMAIN_RUNNING;
}

static void __boot build_one(struct domain *d, const void *host_fdt)
{
	struct domain_config *c = &d->cfg;
	int dtb;

	d->vmid = d->id + 1;
	for (unsigned i = 0; i < c->nvcpus; i++) {
		struct vcpu *v = &d->vcpu[i];
		v->dom = d;
		v->id = i;
		v->vmpidr = i;       /* Aff0 = vCPU index, as QEMU virt numbers CPUs */
		v->pcpu = c->vcpu_pcpu[i];
	}
	/* SVE save areas for the longest length the domain may get: the
	 * boot CPU's, capped by its configuration (its view, made once the
	 * CPUs are online, can only be shorter: core/cpu_view.c). */
	fpsimd_domain_init(d, (c->cpu_hide >> cpu_feature_bit("sve") & 1) ? 0 :
			   cpu_view_boot_sve_vq() < c->sve_max_vq ? cpu_view_boot_sve_vq() :
			   c->sve_max_vq);
	if (stage2_map(d, c->ram_ipa, c->mem_base, c->mem_size, false))
		panic("domain %s: cannot map its memory", c->name);
	for (unsigned i = 0; i < c->ndev; i++)
		for (unsigned r = 0; r < c->dev[i].nreg; r++)
			if (stage2_map(d, c->dev[i].reg[r][0], c->dev[i].reg[r][0],
				       c->dev[i].reg[r][1], true))
				panic("domain %s: cannot map %s", c->name, c->dev[i].path);
	vdev_domain_init(d);
	stage2_activate(d);

	d->dtb_copy = page_alloc(DTB_MAX / PAGE_SIZE);
	if (!d->dtb_copy)
		panic("domain %s: no memory for its device tree", c->name);
	dtb = guest_dt_build(d, host_fdt, d->dtb_copy, DTB_MAX, initrd_ipa_of(d));
	if (dtb < 0)
		panic("domain %s: cannot build its device tree", c->name);
	d->dtb_size = (size_t)dtb;
	if (load_images(d))
		panic("config: %s: 'lull,kernel': cannot be loaded", c->node);
	for (unsigned i = 0; i < c->nvcpus; i++)
		sched_add(&d->vcpu[i]);
	start_boot_vcpu(d);
	printk("domain %s%s: %u vCPU%s, %lu MiB at 0x%lx, entry 0x%lx, %u device%s", c->name,
	       c->hardware ? " (hardware domain)" : "", c->nvcpus, c->nvcpus == 1 ? "" : "s",
	       c->mem_size >> 20, c->mem_base, d->entry_ipa, c->ndev, c->ndev == 1 ? "" : "s");
}

void __boot domains_build(void)
{
	static struct domain_config cfgs[MAX_DOMAINS];

	nr_domains = config_parse(plat.fdt, cfgs, MAX_DOMAINS);
	if (!nr_domains) {
		printk("no domains configured (/chosen/lull-domains)");
		return;
	}
	for (unsigned i = 0; i < nr_domains; i++) {
		domains[i].id = i;
		domains[i].cfg = cfgs[i];
	}
	place_memory();
	for (unsigned i = 0; i < nr_domains; i++)
		build_one(&domains[i], plat.fdt);
}

/* Wait until no vCPU of d is loaded on any CPU (each CPU puts a vCPU that
 * may not run once its loop looks again: kicked here), so that its state
 * is all in memory. */
static void unload_vcpus(struct domain *d)
{
	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		struct vcpu *v = &d->vcpu[i];
		if (v->pcpu == this_cpu_id()) {
			if (this_cpu()->loaded == v)
				vcpu_put(v);
			continue;
		}
		sched_kick(v);
		while (percpus[v->pcpu].loaded == v && percpus[v->pcpu].state == CPU_ONLINE)
			wfe();
	}
}

/* Stop every vCPU of d, so that its state can be rewritten. */
static void stop_vcpus(struct domain *d)
{
	spin_lock(&d->lock);
	d->state = DOMAIN_OFF;
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		d->vcpu[i].power = VCPU_OFF;
	spin_unlock(&d->lock);
	unload_vcpus(d);
}

void domain_pause_request(struct domain *d, unsigned reason)
{
	bool was;

	spin_lock(&d->lock);
	was = d->paused;
	d->paused |= reason;
	spin_unlock(&d->lock);
	if (!was)
		vwdt_domain_stopped(d);    /* it does not run: neither does its watchdog */
	for (unsigned i = 0; i < d->cfg.nvcpus; i++)
		sched_kick(&d->vcpu[i]);   /* its CPU puts it at its next loop round */
}

bool domain_stopped(const struct domain *d)
{
	for (unsigned i = 0; i < d->cfg.nvcpus; i++) {
		const struct vcpu *v = &d->vcpu[i];
		if (percpus[v->pcpu].loaded == v && percpus[v->pcpu].state == CPU_ONLINE)
			return false;
	}
	return true;
}

void domain_pause(struct domain *d, unsigned reason)
{
	domain_pause_request(d, reason);
	unload_vcpus(d);
}

void domain_unpause(struct domain *d, unsigned reason)
{
	bool was, runs;

	spin_lock(&d->lock);
	was = d->paused;
	d->paused &= ~reason;
	runs = was && !d->paused;
	spin_unlock(&d->lock);
	if (runs) {
		vwdt_domain_running(d);
		for (unsigned i = 0; i < d->cfg.nvcpus; i++)
			sched_kick(&d->vcpu[i]);
	}
}

void domain_power_off(struct domain *d, const char *why)
{
	stop_vcpus(d);
	vwdt_domain_reset(d);
	printk("domain %s: powered off (%s)", d->cfg.name, why);
	if (d->cfg.hardware) {
		printk("hardware domain off: powering the machine off");
		fw_system_off();
	}
}

void domain_reboot(struct domain *d)
{
	stop_vcpus(d);
	printk("domain %s: rebooting", d->cfg.name);
	vdev_domain_reset(d);
	if (load_images(d)) {
		printk("domain %s: cannot reload its images; it stays off", d->cfg.name);
		return;
	}
	spin_lock(&d->lock);
	start_boot_vcpu(d);
	spin_unlock(&d->lock);
	sched_kick(&d->vcpu[0]);
}

const char *vcpu_power_name(enum vcpu_power p)
{
	switch (p) {
	case VCPU_OFF: return "off";
	case VCPU_ON_PENDING: return "on-pending";
	case VCPU_ON: return "on";
	case VCPU_STANDBY: return "standby";
	case VCPU_POWERED_DOWN: return "powered-down";
	case VCPU_SUSPENDED: return "suspended";
	}
	return "?";
}

const char *domain_state_name(const struct domain *d)
{
	if (d->state != DOMAIN_RUNNING)
		return "off";
	if (d->paused)
		return d->paused & PAUSE_HOST ? "paused (host suspend)" : "paused";
	for (unsigned k = 0; k < d->cfg.nvcpus; k++)
		if (d->vcpu[k].power == VCPU_SUSPENDED)
			return "suspended (PSCI SYSTEM_SUSPEND)";
	return "running";
}
