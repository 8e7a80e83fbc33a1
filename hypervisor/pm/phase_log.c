/* The host suspend/resume phase log (include/phase_log.h): the last
 * PM_LOG_CYCLES cycles in a ring, and statistics over every cycle. */
#include <stdarg.h>
#include <lull/format.h>
#include <lull/psci.h>
#include <lull/spinlock.h>
#include <string.h>
#include "domain.h"
#include "psci_client.h"
#include "hyp.h"
#include "phase_log.h"
#include "timer.h"

static struct pm_cycle ring[PM_LOG_CYCLES];
static unsigned cycles_done;       /* cycles begun so far */
static spinlock_t log_lock = SPINLOCK_INIT;

/* suspend-stats: every cycle, kept at phase_log_finish. */
#define STAT_NAMES 48
static struct {
	unsigned cycles, failures;
	struct { char step[12]; unsigned n; } failed[8];
	struct { char name[28]; uint64_t last, worst; } ph[STAT_NAMES];
	unsigned nph;
	uint64_t last_entry, worst_entry, last_resume, worst_resume;
} stats;

struct pm_cycle *phase_log_current(void)
{
	return cycles_done ? &ring[(cycles_done - 1) % PM_LOG_CYCLES] : NULL;
}

struct pm_cycle *phase_log_begin(uint64_t start)
{
	struct pm_cycle *c;
	uint64_t flags = irq_save();

	spin_lock(&log_lock);
	c = &ring[cycles_done % PM_LOG_CYCLES];
	memset(c, 0, sizeof(*c));
	c->seq = ++cycles_done;
	c->wake_intid = 1023;
	c->start = start;
	for (unsigned i = 0; i < ARRAY_SIZE(c->fw); i++)
		c->fw[i] = -1;
	spin_unlock(&log_lock);
	irq_restore(flags);
	return c;
}

/* The rig firmware tells how long its cores have worked; other firmware
 * answers NOT_SUPPORTED (negative). One SMC, for the measurements. */
void phase_log_fw(unsigned point)
{
	struct pm_cycle *c = phase_log_current();

	if (c && point < ARRAY_SIZE(c->fw))
		c->fw[point] = psci_call(LULL_SIP_FW_WORK, 0, 0, 0);
}

static int add_locked(const char *step, const char *name, enum pm_lane lane, unsigned who,
		      bool resume, uint64_t start, uint64_t end, int result)
{
	struct pm_cycle *c = phase_log_current();
	struct pm_phase *p;

	if (!c || c->nphases == PM_MAX_PHASES)
		return -1;
	p = &c->ph[c->nphases];
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->step, sizeof(p->step), "%s", step);
	p->lane = (uint8_t)lane;
	p->who = (uint8_t)who;
	p->resume = resume;
	p->start = start;
	p->end = end;
	p->result = result;
	return (int)c->nphases++;
}

int phase_begin(const char *step, const char *name, enum pm_lane lane, unsigned who, bool resume)
{
	uint64_t flags = irq_save(), now = counter_now();
	int idx;

	spin_lock(&log_lock);
	idx = add_locked(step, name, lane, who, resume, now, 0, 0);
	spin_unlock(&log_lock);
	irq_restore(flags);
	return idx;
}

void phase_end(int idx, int result)
{
	struct pm_cycle *c = phase_log_current();
	uint64_t now = counter_now();

	if (!c || idx < 0 || (unsigned)idx >= c->nphases)
		return;
	c->ph[idx].end = now;
	c->ph[idx].result = result;
}

void phase_add(const char *step, const char *name, enum pm_lane lane, unsigned who, bool resume,
	       uint64_t start, uint64_t end, int result)
{
	uint64_t flags = irq_save();

	spin_lock(&log_lock);
	add_locked(step, name, lane, who, resume, start, end, result);
	spin_unlock(&log_lock);
	irq_restore(flags);
}

static void stat_phase(const struct pm_phase *p)
{
	uint64_t d = p->end > p->start ? p->end - p->start : 0;
	unsigned i;

	for (i = 0; i < stats.nph && strcmp(stats.ph[i].name, p->name); i++)
		;
	if (i == stats.nph) {
		if (stats.nph == STAT_NAMES)
			return;
		snprintf(stats.ph[i].name, sizeof(stats.ph[i].name), "%s", p->name);
		stats.nph++;
	}
	stats.ph[i].last = d;
	if (d > stats.ph[i].worst)
		stats.ph[i].worst = d;
}

static void stat_failure(const char *step)
{
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(stats.failed) && stats.failed[i].n &&
		    strcmp(stats.failed[i].step, step); i++)
		;
	if (i == ARRAY_SIZE(stats.failed))
		return;
	snprintf(stats.failed[i].step, sizeof(stats.failed[i].step), "%s", step);
	stats.failed[i].n++;
}

/* The entry (the hardware domain's call to the firmware call) and the
 * resume (the firmware's re-entry to the last phase). */
static void cycle_spans(const struct pm_cycle *c, uint64_t *entry, uint64_t *resume)
{
	uint64_t fw_start = 0, fw_end = 0, last = 0;

	for (unsigned i = 0; i < c->nphases; i++) {
		const struct pm_phase *p = &c->ph[i];
		if (p->lane == PM_LANE_FIRMWARE) {
			fw_start = p->start;
			fw_end = p->end;
		}
		if (p->end > last)
			last = p->end;
	}
	*entry = fw_start ? fw_start - c->start : 0;
	*resume = fw_end && last > fw_end ? last - fw_end : 0;
}

void phase_log_finish(int result, const char *failed_step)
{
	struct pm_cycle *c = phase_log_current();
	uint64_t flags = irq_save(), entry, resume;

	spin_lock(&log_lock);
	if (c) {
		c->result = result;
		snprintf(c->failed_step, sizeof(c->failed_step), "%s", failed_step ? failed_step : "");
		c->end = counter_now();
		c->fw[PM_FW_END] = psci_call(LULL_SIP_FW_WORK, 0, 0, 0);
		stats.cycles++;
		if (result) {
			stats.failures++;
			stat_failure(failed_step ? failed_step : "?");
		}
		for (unsigned i = 0; i < c->nphases; i++)
			stat_phase(&c->ph[i]);
		cycle_spans(c, &entry, &resume);
		stats.last_entry = entry;
		stats.last_resume = resume;
		if (entry > stats.worst_entry)
			stats.worst_entry = entry;
		if (resume > stats.worst_resume)
			stats.worst_resume = resume;
	}
	spin_unlock(&log_lock);
	irq_restore(flags);
}

/* Ticks as microseconds with three decimals. */
static void us_text(char *buf, size_t size, uint64_t ticks)
{
	uint64_t ns = ticks * 1000000000ULL / counter_freq();
	snprintf(buf, size, "%lu.%03lu", ns / 1000, ns % 1000);
}

static void lane_text(char *buf, size_t size, const struct pm_phase *p)
{
	if (p->lane == PM_LANE_FIRMWARE)
		snprintf(buf, size, "firmware");
	else if (p->lane == PM_LANE_DOMAIN && p->who < nr_domains)
		snprintf(buf, size, "domain %s", domains[p->who].cfg.name);
	else
		snprintf(buf, size, "cpu%u", p->who);
}

static void show_cycle(const struct pm_cycle *c)
{
	char wake[16] = "unknown";

	if (c->wake_intid < 1020)
		snprintf(wake, sizeof(wake), "%u", c->wake_intid);
	printk("suspend cycle %u: %s%s%s, woken by interrupt %s", c->seq,
	       c->result ? "FAILED" : "resumed", c->result ? " at " : "", c->failed_step, wake);
	if (c->fw[PM_FW_CALL] >= 0 && c->fw[PM_FW_START] >= 0 && c->fw[PM_FW_RESUME] >= 0 &&
	    c->fw[PM_FW_HWDOM] >= 0 && c->fw[PM_FW_END] >= 0) {
		char a[24], b[24], d[24];

		us_text(a, sizeof(a), (uint64_t)(c->fw[PM_FW_CALL] - c->fw[PM_FW_START]));
		us_text(b, sizeof(b), (uint64_t)(c->fw[PM_FW_HWDOM] - c->fw[PM_FW_RESUME]));
		us_text(d, sizeof(d), (uint64_t)(c->fw[PM_FW_END] - c->fw[PM_FW_RESUME]));
		printk("  firmware's own work: entry %s us, resume to the hardware domain %s us, "
		       "to every domain %s us", a, b, d);
	}
	for (unsigned i = 0; i < c->nphases; i++) {
		const struct pm_phase *p = &c->ph[i];
		char at[24], dur[24], lane[24];

		us_text(at, sizeof(at), p->start - c->start);
		us_text(dur, sizeof(dur), p->end > p->start ? p->end - p->start : 0);
		lane_text(lane, sizeof(lane), p);
		printk("  %-7s %-12s %-24s at %12s us, %12s us%s%s", p->resume ? "resume" : "suspend",
		       lane, p->name, at, dur, p->result ? ", FAILED " : "",
		       p->result ? psci_error_name(p->result) : "");
	}
}

void phase_log_show(unsigned n)
{
	unsigned first = cycles_done > n ? cycles_done - n : 0;

	if (!cycles_done) {
		printk("suspend-log: no host suspend yet");
		return;
	}
	if (cycles_done - first > PM_LOG_CYCLES)
		first = cycles_done - PM_LOG_CYCLES;
	for (unsigned i = first; i < cycles_done; i++)
		show_cycle(&ring[i % PM_LOG_CYCLES]);
}

/* Chrome/Perfetto trace-event format: one complete event ("X") per
 * phase, an instant event ("i") for the wake-up; ts and dur in us. */
/* One line of the JSON text to the sink. */
static void emit(phase_log_sink sink, void *ctx, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emit(phase_log_sink sink, void *ctx, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sink(line, ctx);
}

void phase_log_json_to(phase_log_sink sink, void *ctx)
{
	unsigned first = cycles_done > PM_LOG_CYCLES ? cycles_done - PM_LOG_CYCLES : 0;
	bool comma = false;

	emit(sink, ctx, "{\"displayTimeUnit\": \"ns\", \"otherData\": {\"source\": \"lull\"}, "
	     "\"traceEvents\": [");
	for (unsigned k = first; k < cycles_done; k++) {
		const struct pm_cycle *c = &ring[k % PM_LOG_CYCLES];
		for (unsigned i = 0; i < c->nphases; i++) {
			const struct pm_phase *p = &c->ph[i];
			char ts[24], dur[24], lane[24];

			us_text(ts, sizeof(ts), p->start);
			us_text(dur, sizeof(dur), p->end > p->start ? p->end - p->start : 0);
			lane_text(lane, sizeof(lane), p);
			emit(sink, ctx, "%s{\"name\": \"%s\", \"cat\": \"%s\", \"ph\": \"X\", "
			     "\"ts\": %s, \"dur\": %s, \"pid\": 0, \"tid\": \"%s\", \"args\": "
			     "{\"cycle\": %u, \"step\": \"%s\", \"result\": \"%s\"}}",
			     comma ? "," : "", p->name,
			     p->lane == PM_LANE_DOMAIN ? "domain" : p->resume ? "resume" : "suspend",
			     ts, dur, lane, c->seq, p->step,
			     p->result ? psci_error_name(p->result) : "ok");
			comma = true;
		}
		if (c->wake_intid < 1020) {
			char ts[24];
			uint64_t at = c->start;
			for (unsigned i = 0; i < c->nphases; i++)
				if (c->ph[i].lane == PM_LANE_FIRMWARE)
					at = c->ph[i].end;
			us_text(ts, sizeof(ts), at);
			emit(sink, ctx, "%s{\"name\": \"wake-up: interrupt %u\", \"ph\": \"i\", "
			     "\"s\": \"g\", \"ts\": %s, \"pid\": 0, \"tid\": \"cpu0\", \"args\": "
			     "{\"cycle\": %u, \"intid\": %u}}", comma ? "," : "", c->wake_intid, ts,
			     c->seq, c->wake_intid);
			comma = true;
		}
	}
	emit(sink, ctx, "]}");
}

static void console_sink(const char *line, void *ctx)
{
	(void)ctx;
	printk("%s", line);
}

void phase_log_json(void)
{
	printk("--- suspend-log json begin ---");
	phase_log_json_to(console_sink, NULL);
	printk("--- suspend-log json end ---");
}

void phase_log_stats(void)
{
	char a[24], b[24];

	printk("suspend-stats: %u cycles, %u resumed, %u failed", stats.cycles,
	       stats.cycles - stats.failures, stats.failures);
	for (unsigned i = 0; i < ARRAY_SIZE(stats.failed) && stats.failed[i].n; i++)
		printk("  failures at %-12s %u", stats.failed[i].step, stats.failed[i].n);
	us_text(a, sizeof(a), stats.last_entry);
	us_text(b, sizeof(b), stats.worst_entry);
	printk("  suspend entry (call to firmware): last %s us, worst %s us", a, b);
	us_text(a, sizeof(a), stats.last_resume);
	us_text(b, sizeof(b), stats.worst_resume);
	printk("  resume (firmware to every domain running): last %s us, worst %s us", a, b);
	for (unsigned i = 0; i < stats.nph; i++) {
		us_text(a, sizeof(a), stats.ph[i].last);
		us_text(b, sizeof(b), stats.ph[i].worst);
		printk("  %-24s last %12s us, worst %12s us", stats.ph[i].name, a, b);
	}
}
