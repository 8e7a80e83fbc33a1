/* The control channel (lib/include/lull/ctl_abi.h, docs/control-channel.md):
 * the hardware domain asks Lull to list, pause and unpause domains and
 * hands out the host suspend phase log, through trapped registers and a
 * window of ordinary memory. Only the hardware domain has it: another
 * domain has neither the regions in its stage 2 nor the node in its
 * device tree, and an access there is an abort like any unowned address.
 *
 * Trust: everything in the window and the registers is the guest's and
 * may change at any moment (another vCPU): a request is copied out of the
 * window before it is looked at, and the answer is written only within
 * the window. A command never waits for another CPU (a pause asks the
 * CPUs to stop the domain and answers IN_PROGRESS until they have): the
 * caller's exit handler must not spin on a CPU that may be spinning on it.
 *
 * Locking: `lock` guards the registers and serialises commands (two
 * vCPUs of the hardware domain may call at once). Inside it a domain's
 * lock may be taken (pause, list): order ctl lock -> domain lock. */
#include <lull/ctl_abi.h>
#include <lull/format.h>
#include <lull/spinlock.h>
#include <string.h>
#include "cache.h"
#include "domain.h"
#include "host_pm.h"
#include "hyp.h"
#include "mmio.h"
#include "page_alloc.h"
#include "phase_log.h"
#include "vctl.h"
#include "vm.h"

static struct {
	spinlock_t lock;
	struct domain *owner;       /* the hardware domain, or NULL: no channel */
	uint8_t *window;            /* LULL_CTL_WINDOW_SIZE bytes, the owner's */
	uint32_t req_len, resp_len, total;
	int32_t status;
	uint64_t arg;
} ctl = { .lock = SPINLOCK_INIT };

/* An answer being written into the window: bytes before `skip` are
 * counted but not written (a piece further on of a long answer). */
struct answer {
	uint64_t skip;
	uint32_t len;               /* written to the window */
	uint64_t total;             /* the whole answer's length */
};

static void put_text(struct answer *a, const char *s)
{
	for (; *s; s++, a->total++) {
		if (a->total < a->skip || a->len >= LULL_CTL_WINDOW_SIZE)
			continue;
		ctl.window[a->len++] = (uint8_t)*s;
	}
}

static void put_line(const char *line, void *ctx)
{
	put_text(ctx, line);
	put_text(ctx, "\n");
}

/* The request's domain name: copied out of the window first (the guest
 * may change the window meanwhile), NUL-terminated within REQ_LEN. */
static int request_domain(struct domain **out)
{
	char name[sizeof(domains[0].cfg.name)];
	uint32_t len = ctl.req_len;

	if (len == 0 || len > sizeof(name))
		return LULL_CTL_EREQUEST;
	/* The guest may have written it around the caches (lullctl maps the
	 * window as device memory through /dev/mem). */
	dcache_clean_inval_range(ctl.window, len);
	memcpy(name, ctl.window, len);
	if (memchr(name, '\0', len) == NULL)
		return LULL_CTL_EREQUEST;
	for (unsigned i = 0; i < nr_domains; i++)
		if (!strcmp(domains[i].cfg.name, name)) {
			*out = &domains[i];
			return LULL_CTL_OK;
		}
	return LULL_CTL_ENODOMAIN;
}

/* A line per domain: "NAME STATE VCPU:POWER ...", STATE one word
 * (running, paused, pausing, host-paused, suspended, off). */
static int cmd_list(struct answer *a)
{
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];
		char line[64];
		const char *state;

		spin_lock(&d->lock);
		state = domain_state_name(d);
		if (d->state == DOMAIN_RUNNING && d->paused & PAUSE_HOST)
			state = "host-paused";
		else if (d->state == DOMAIN_RUNNING && d->paused)
			state = domain_stopped(d) ? "paused" : "pausing";
		else if (!strncmp(state, "suspended", 9))
			state = "suspended";
		snprintf(line, sizeof(line), "%s %s%s", d->cfg.name, state,
			 d->cfg.hardware ? " hardware" : "");
		put_text(a, line);
		for (unsigned k = 0; k < d->cfg.nvcpus; k++) {
			snprintf(line, sizeof(line), " %u:%s", k, vcpu_power_name(d->vcpu[k].power));
			put_text(a, line);
		}
		spin_unlock(&d->lock);
		put_text(a, "\n");
	}
	return LULL_CTL_OK;
}

static int cmd_pause(bool pause)
{
	struct domain *d = NULL;
	int rc = request_domain(&d);

	if (rc)
		return rc;
	if (d == ctl.owner)
		return LULL_CTL_EDENIED;     /* it could never ask to run again */
	if (d->state != DOMAIN_RUNNING)
		return LULL_CTL_ESTATE;
	if (!pause) {
		if (!(d->paused & PAUSE_USER))
			return LULL_CTL_ESTATE;
		domain_unpause(d, PAUSE_USER);
		printk("domain %s: unpaused by the hardware domain", d->cfg.name);
		return LULL_CTL_OK;
	}
	if (!(d->paused & PAUSE_USER)) {
		domain_pause_request(d, PAUSE_USER);
		printk("domain %s: paused by the hardware domain", d->cfg.name);
	}
	return domain_stopped(d) ? LULL_CTL_OK : LULL_CTL_IN_PROGRESS;
}

static int run(uint32_t cmd)
{
	struct answer a = { 0 };
	int rc;

	if (host_pm_busy())
		return LULL_CTL_EBUSY;
	switch (cmd) {
	case LULL_CTL_CMD_LIST:
		rc = cmd_list(&a);
		break;
	case LULL_CTL_CMD_PAUSE:
		rc = cmd_pause(true);
		break;
	case LULL_CTL_CMD_UNPAUSE:
		rc = cmd_pause(false);
		break;
	case LULL_CTL_CMD_SUSPEND_LOG:
		a.skip = ctl.arg;
		phase_log_json_to(put_line, &a);
		rc = a.skip > a.total ? LULL_CTL_ERANGE : LULL_CTL_OK;
		break;
	default:
		printk("domain %s: control channel: unknown command %u", ctl.owner->cfg.name, cmd);
		return LULL_CTL_EUNKNOWN;
	}
	ctl.resp_len = a.len;
	dcache_clean_range(ctl.window, a.len);   /* for a non-cacheable reader */
	ctl.total = a.total > UINT32_MAX ? UINT32_MAX : (uint32_t)a.total;
	return rc;
}

static bool ctl_read(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t *val)
{
	(void)v;
	(void)dev;
	if (len != 4 && !(len == 8 && off == LULL_CTL_ARG))
		return false;
	spin_lock(&ctl.lock);
	switch (off) {
	case LULL_CTL_MAGIC: *val = LULL_CTL_MAGIC_VALUE; break;
	case LULL_CTL_VERSION: *val = LULL_CTL_ABI_VERSION; break;
	case LULL_CTL_WINDOW_LEN: *val = LULL_CTL_WINDOW_SIZE; break;
	case LULL_CTL_STATUS: *val = (uint32_t)ctl.status; break;
	case LULL_CTL_REQ_LEN: *val = ctl.req_len; break;
	case LULL_CTL_RESP_LEN: *val = ctl.resp_len; break;
	case LULL_CTL_TOTAL: *val = ctl.total; break;
	case LULL_CTL_ARG: *val = len == 8 ? ctl.arg : (uint32_t)ctl.arg; break;
	case LULL_CTL_ARG + 4: *val = ctl.arg >> 32; break;
	default: *val = 0; break;      /* reserved: reads as zero */
	}
	spin_unlock(&ctl.lock);
	return true;
}

static bool ctl_write(struct vcpu *v, void *dev, uint64_t off, unsigned len, uint64_t val)
{
	(void)dev;
	if (len != 4 && !(len == 8 && off == LULL_CTL_ARG))
		return false;
	spin_lock(&ctl.lock);
	switch (off) {
	case LULL_CTL_CMD: ctl.status = run((uint32_t)val); break;
	case LULL_CTL_REQ_LEN: ctl.req_len = (uint32_t)val; break;
	case LULL_CTL_ARG:
		ctl.arg = len == 8 ? val : (ctl.arg & ~0xffffffffULL) | (uint32_t)val;
		break;
	case LULL_CTL_ARG + 4: ctl.arg = (ctl.arg & 0xffffffffULL) | (val << 32); break;
	default:
		/* Read-only or reserved: ignored, and said, so that a
		 * tool's mistake is visible. */
		printk("domain %s: vCPU %u: control channel: write to read-only offset 0x%lx "
		       "ignored", v->dom->cfg.name, v->id, off);
		break;
	}
	spin_unlock(&ctl.lock);
	return true;
}

static const struct mmio_ops vctl_ops = { .read = ctl_read, .write = ctl_write };

int vctl_domain_init(struct domain *d)
{
	if (!d->cfg.hardware)
		return 0;
	ctl.window = page_alloc(LULL_CTL_WINDOW_SIZE / PAGE_SIZE);
	if (!ctl.window)
		return -1;
	dcache_clean_range(ctl.window, LULL_CTL_WINDOW_SIZE);   /* zeroed: no dirty line left */
	if (stage2_map(d, LULL_CTL_WINDOW, (uint64_t)(uintptr_t)ctl.window, LULL_CTL_WINDOW_SIZE,
		       false) ||
	    mmio_register(d, LULL_CTL_REGS, LULL_CTL_REGS_SIZE, &vctl_ops, NULL))
		return -1;
	ctl.owner = d;
	return 0;
}

bool vctl_present(const struct domain *d)
{
	return d->cfg.hardware;
}
