/* Console commands. Every argument is checked; bad input gets a one-line
 * "error:" message and changes nothing. */
#include <lull/psci.h>
#include <stdlib.h>
#include <string.h>
#include "console.h"
#include "domain.h"
#include "el2_regs.h"
#include "gic.h"
#include "hotplug.h"
#include "host_pm.h"
#include "hyp.h"
#include "irq.h"
#include "mmu.h"
#include "page_alloc.h"
#include "percpu.h"
#include "phase_log.h"
#include "pm_faults.h"
#include "psci_client.h"
#include "shell.h"
#include "smp.h"
#include "timer.h"
#include "vdev.h"
#include "vwdt.h"
#include <lull/format.h>

#define MAX_ARGS 8
#define CHECK_TIMER_US 1000
#define CHECK_TIMEOUT_US 500000

struct command {
	const char *name;
	const char *usage;
	const char *help;
	int min_args, max_args;   /* not counting the command name */
	int (*run)(int argc, char **argv);
};

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!s || !*s || (*s < '0' || *s > '9'))
		return false;
	*out = strtoul(s, &end, 0);
	return *end == '\0' && *out <= max;
}

static bool parse_cpu(const char *s, unsigned *cpu)
{
	unsigned long v;
	if (!parse_uint(s, 1000, &v) || v >= nr_cpus) {
		printk("error: '%s' is not a CPU number (0-%u)", s, nr_cpus - 1);
		return false;
	}
	*cpu = (unsigned)v;
	return true;
}

static int cmd_cpus(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < nr_cpus; i++) {
		struct percpu *c = &percpus[i];
		printk("cpu%u mpidr 0x%lx %-9s timer-irqs %lu ipis %lu onlined %lu%s%s", i, c->mpidr,
		       cpu_state_name(c->state), c->timer_irqs, c->ipis, c->times_online,
		       c->why[0] ? " last: " : "", c->why);
	}
	return 0;
}

struct el2_report {
	char text[200];
};

static void el2_report(void *arg)
{
	el2_cpu_check(((struct el2_report *)arg)->text, sizeof(((struct el2_report *)arg)->text));
}

/* Every online CPU's EL2 control registers against the values Lull sets
 * (include/el2_regs.h). */
static int cmd_el2(int argc, char **argv)
{
	static struct el2_report rep;
	int bad = 0;

	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < nr_cpus; i++) {
		if (percpus[i].state != CPU_ONLINE)
			continue;
		rep.text[0] = '\0';
		if (i == this_cpu_id())
			el2_report(&rep);
		else if (smp_call(i, el2_report, &rep)) {
			printk("cpu%u el2: no answer", i);
			bad++;
			continue;
		}
		printk("cpu%u el2: %s", i, rep.text);
		bad += strcmp(rep.text, "ok") != 0;
	}
	return bad ? -1 : 0;
}

static void ping(void *arg)
{
	(void)arg;
}

static void arm_timer(void *arg)
{
	(void)arg;
	timer_arm_oneshot(CHECK_TIMER_US);
}

struct timer_wait {
	struct percpu *c;
	uint64_t before;
};

static bool timer_fired(void *arg)
{
	struct timer_wait *w = arg;
	return w->c->timer_irqs > w->before;
}

/* Prove a CPU is alive and serviced: it answers an IPI and takes its own
 * timer interrupt. */
static bool check_cpu(unsigned i)
{
	struct timer_wait w = { &percpus[i], percpus[i].timer_irqs };
	bool ipi = smp_call(i, ping, NULL) == 0;
	bool timer = ipi && smp_call(i, arm_timer, NULL) == 0 &&
		     wait_until(timer_fired, &w, CHECK_TIMEOUT_US);

	printk("check: cpu%u ipi %s timer %s", i, ipi ? "ok" : "FAIL", timer ? "ok" : "FAIL");
	return ipi && timer;
}

static int cmd_check(int argc, char **argv)
{
	unsigned online = 0, bad = 0;
	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < nr_cpus; i++) {
		if (percpus[i].state != CPU_ONLINE)
			continue;
		online++;
		if (!check_cpu(i))
			bad++;
	}
	printk("check: %s (%u online, %u failed)", bad ? "FAIL" : "PASS", online, bad);
	return bad ? -1 : 0;
}

static int cmd_cpu(int argc, char **argv)
{
	unsigned cpu;
	unsigned long n;

	if (!parse_cpu(argv[2], &cpu))
		return -1;
	if (!strcmp(argv[1], "on") && argc == 3)
		return cpu_online(cpu, true);
	if (!strcmp(argv[1], "off") && argc == 3)
		return cpu_offline(cpu, true);
	if (!strcmp(argv[1], "cycle") && argc == 4) {
		if (!parse_uint(argv[3], 100000, &n) || !n) {
			printk("error: cycle count '%s' must be 1-100000", argv[3]);
			return -1;
		}
		for (unsigned long i = 1; i <= n; i++) {
			if (cpu_offline(cpu, false) || cpu_online(cpu, false)) {
				printk("cycle: cpu%u FAILED at cycle %lu", cpu, i);
				return -1;
			}
		}
		printk("cycle: cpu%u %lu cycles done", cpu, n);
		return check_cpu(cpu) ? 0 : -1;
	}
	if (!strcmp(argv[1], "fake-caps") && argc == 4) {
		struct percpu *c = &percpus[cpu];
		if (!strcmp(argv[3], "clear")) {
			c->fake_caps = false;
			printk("cpu%u: capabilities as read from the hardware", cpu);
			return 0;
		}
		if (strncmp(argv[3], "pa=", 3) || !parse_uint(argv[3] + 3, 52, &n) || n < 32) {
			printk("error: expected pa=BITS (32-52) or clear, got '%s'", argv[3]);
			return -1;
		}
		c->fake = c->caps;
		c->fake.pa_bits = (unsigned)n;
		c->fake_caps = true;
		printk("cpu%u: will claim a %lu-bit PA range when it next comes online", cpu, n);
		return 0;
	}
	printk("error: usage: cpu on|off N, cpu cycle N COUNT, cpu fake-caps N pa=BITS|clear");
	return -1;
}

static int cmd_irqs(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	irq_show();
	return 0;
}

static int cmd_irq(int argc, char **argv)
{
	unsigned long intid;
	unsigned cpu;

	bool route = !strcmp(argv[1], "route");

	if ((!route && strcmp(argv[1], "pend")) || argc != (route ? 4 : 3)) {
		printk("error: usage: irq route INTID CPU | irq pend INTID");
		return -1;
	}
	if (!parse_uint(argv[2], 1019, &intid) || !irq_valid_spi((unsigned)intid)) {
		printk("error: '%s' is not an SPI (32-%u)", argv[2], gic.lines - 1);
		return -1;
	}
	if (!route) {
		if (irq_set_pending((unsigned)intid)) {
			printk("error: interrupt %lu is not the hypervisor's", intid);
			return -1;
		}
		printk("irq %lu pending", intid);
		return 0;
	}
	if (!parse_cpu(argv[3], &cpu))
		return -1;
	if (irq_route((unsigned)intid, cpu)) {
		printk("error: interrupt %lu is not the hypervisor's, or cpu%u is not online", intid, cpu);
		return -1;
	}
	printk("irq %lu routed to cpu%u", intid, cpu);
	return 0;
}

extern char __boot_text_start[], __boot_text_end[];

static int cmd_mem(int argc, char **argv)
{
	uintptr_t b = (uintptr_t)__boot_text_start, e = (uintptr_t)__boot_text_end;
	bool exec = false;

	(void)argc;
	(void)argv;
	printk("page pool: %zu of %zu pages free", page_free_count(), page_total_count());
	for (uintptr_t a = b; a < e; a += PAGE_SIZE)
		exec |= mmu_executable(a);
	printk("boot-only code: 0x%lx-0x%lx (%lu KiB), %s", b, e, (e - b) >> 10,
	       exec ? "STILL EXECUTABLE" : "not executable");
	return 0;
}

static int cmd_domains(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (!nr_domains)
		printk("no domains");
	for (unsigned i = 0; i < nr_domains; i++) {
		struct domain *d = &domains[i];
		char wdt[80];

		vwdt_describe(d, wdt, sizeof(wdt));
		printk("domain %u %s%s: %s, %lu MiB at 0x%lx, %u vCPU%s, %s", d->id, d->cfg.name,
		       d->cfg.hardware ? " (hardware)" : "",
		       domain_state_name(d), d->cfg.mem_size >> 20,
		       d->cfg.mem_base, d->cfg.nvcpus, d->cfg.nvcpus == 1 ? "" : "s", wdt);
		for (unsigned k = 0; k < d->cfg.nvcpus; k++) {
			struct vcpu *v = &d->vcpu[k];
			char wake[96] = "", idle[32] = "";

			/* How many were CPU_SUSPEND (the guest's idle states). */
			if (v->cpu_suspends)
				snprintf(idle, sizeof(idle), " (%lu CPU_SUSPEND)", v->cpu_suspends);
			/* Why it last woke: the interrupt that ended a suspend. */
			if (v->suspends && v->power == VCPU_ON)
				snprintf(wake, sizeof(wake), ", %lu suspends%s, last woken by %u",
					 v->suspends, idle, v->resume_intid);
			else if (v->suspends)
				snprintf(wake, sizeof(wake), ", %lu suspends%s", v->suspends, idle);
			printk("  vcpu%u on cpu%u: %s%s, exits %lu (hvc %lu, mmio %lu, wfi %lu)%s", k,
			       v->pcpu, vcpu_power_name(v->power),
			       v->power == VCPU_ON && v->wfi_blocked ? " (wfi)" : "",
			       v->exits, v->hvcs, v->mmio_exits, v->wfi_exits, wake);
		}
	}
	return 0;
}

static struct domain *parse_domain(const char *name)
{
	for (unsigned i = 0; i < nr_domains; i++)
		if (!strcmp(domains[i].cfg.name, name))
			return &domains[i];
	printk("error: no domain '%s'", name);
	return NULL;
}

static int cmd_pause(int argc, char **argv)
{
	struct domain *d = parse_domain(argv[1]);
	(void)argc;

	if (!d)
		return -1;
	if (d->state != DOMAIN_RUNNING) {
		printk("error: domain %s is off", d->cfg.name);
		return -1;
	}
	if (!strcmp(argv[0], "pause")) {
		domain_pause(d, PAUSE_USER);
		printk("domain %s: paused", d->cfg.name);
	} else {
		domain_unpause(d, PAUSE_USER);
		printk("domain %s: %s", d->cfg.name, d->paused ? "still paused (host suspend)"
							    : "unpaused");
	}
	return 0;
}

static int cmd_suspend_log(int argc, char **argv)
{
	unsigned long n = 1;

	if (argc == 2 && !strcmp(argv[1], "json")) {
		phase_log_json();
		return 0;
	}
	if (argc == 2 && (!parse_uint(argv[1], PM_LOG_CYCLES, &n) || !n)) {
		printk("error: usage: suspend-log [1-%u | json]", PM_LOG_CYCLES);
		return -1;
	}
	phase_log_show((unsigned)n);
	return 0;
}

static int cmd_suspend_stats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	phase_log_stats();
	return 0;
}

static int cmd_fault(int argc, char **argv)
{
	if (argc == 1) {
		pm_faults_show();
		return 0;
	}
	if (pm_fault_set(argv[1])) {
		printk("error: fault points: pause, wake-sources, cpu-offline=N, device=NAME, clear");
		return -1;
	}
	pm_faults_show();
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("powering off");
	fw_system_off();
}

static int cmd_reset(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("resetting");
	fw_system_reset();
}

static int cmd_help(int argc, char **argv);

static const struct command commands[] = {
	{ "help", "help", "this list", 0, 0, cmd_help },
	{ "cpus", "cpus", "state of each physical CPU", 0, 0, cmd_cpus },
	{ "domains", "domains", "domains and the power state of their vCPUs", 0, 0, cmd_domains },
	{ "cpu", "cpu on|off N | cpu cycle N COUNT | cpu fake-caps N pa=BITS|clear",
	  "physical CPU hotplug", 2, 3, cmd_cpu },
	{ "el2", "el2", "each online CPU's EL2 control registers against Lull's values", 0, 0,
	  cmd_el2 },
	{ "check", "check", "every online CPU answers an IPI and takes its timer", 0, 0, cmd_check },
	{ "irqs", "irqs", "hypervisor interrupts, routing and counts", 0, 0, cmd_irqs },
	{ "irq", "irq route INTID CPU | irq pend INTID",
	  "route a hypervisor SPI to a CPU, or make it pending as its device would", 2, 3, cmd_irq },
	{ "mem", "mem", "page pool usage", 0, 0, cmd_mem },
	{ "pause", "pause DOMAIN", "stop a domain's vCPUs (state kept)", 1, 1, cmd_pause },
	{ "unpause", "unpause DOMAIN", "let a paused domain run again", 1, 1, cmd_pause },
	{ "suspend-log", "suspend-log [N | json]",
	  "phases of the last N host suspend cycles, or all as trace JSON", 0, 1, cmd_suspend_log },
	{ "suspend-stats", "suspend-stats", "host suspend cycles, failures, phase durations", 0, 0,
	  cmd_suspend_stats },
	{ "fault", "fault [POINT[=ARG] | clear]", "fault points for the next host suspend", 0, 1,
	  cmd_fault },
	{ "poweroff", "poweroff", "PSCI SYSTEM_OFF", 0, 0, cmd_poweroff },
	{ "reset", "reset", "PSCI SYSTEM_RESET", 0, 0, cmd_reset },
};

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		printk("  %-56s %s", commands[i].usage, commands[i].help);
	return 0;
}

int shell_execute(char *line)
{
	char *argv[MAX_ARGS + 1];
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MAX_ARGS) {
			printk("error: too many arguments");
			return -1;
		}
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!argc)
		return 0;
	argv[argc] = NULL;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++) {
		const struct command *c = &commands[i];
		if (strcmp(argv[0], c->name))
			continue;
		if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
			printk("error: usage: %s", c->usage);
			return -1;
		}
		return c->run(argc, argv);
	}
	printk("error: unknown command '%s' (try 'help')", argv[0]);
	return -1;
}

/* Input focus: -1 = the hypervisor shell, else a domain's virtual UART.
 * Ctrl-A moves it to the next one (hypervisor, domain 0, 1, ...). */
#define CTRL_A 0x01
static int focus = -1;

static char line[128];
static unsigned line_len;
static bool line_overflow;

void shell_prompt(void)
{
	console_write_raw("lull> ");
}


static void switch_focus(void)
{
	focus = focus + 1 < (int)nr_domains ? focus + 1 : -1;
	console_focus_domain = focus;
	if (focus < 0) {
		console_write_raw("\n[console: input to the hypervisor; Ctrl-A switches]\n");
		shell_prompt();
	} else {
		char msg[80];
		snprintf(msg, sizeof(msg), "\n[console: input to domain %s; Ctrl-A switches]\n",
			 domains[focus].cfg.name);
		console_write_raw(msg);
	}
}

/* Input the shell can take now: anything for the shell; for a domain,
 * only while its UART has room (typing never overruns it), unless a
 * Ctrl-A waits behind: then what stands before it is dropped, so a domain
 * that does not read cannot hold the console. */
bool shell_has_input(void)
{
	int c = console_peekc();
	return c >= 0 && (focus < 0 || vpl011_rx_space(&domains[focus]) ||
			  console_input_contains(CTRL_A));
}

void shell_poll(void)
{
	int c;

	while (shell_has_input() && (c = console_getc()) >= 0) {
		if (c == CTRL_A) {
			switch_focus();
			continue;
		}
		if (focus >= 0) {
			if (vpl011_rx_space(&domains[focus]))
				vpl011_receive(&domains[focus], (char)c);
			continue;
		}
		if (c == '\r' || c == '\n') {
			console_write_raw("\n");
			line[line_len] = '\0';
			if (line_overflow)
				printk("error: line longer than %zu characters ignored", sizeof(line) - 1);
			else
				shell_execute(line);
			line_len = 0;
			line_overflow = false;
			shell_prompt();
		} else if (c == 0x7f || c == 0x08) {
			if (line_len) {
				line_len--;
				console_write_raw("\b \b");
			}
		} else if (c >= 0x20 && c < 0x7f) {
			char echo[2] = { (char)c, '\0' };
			if (line_len < sizeof(line) - 1)
				line[line_len++] = (char)c;
			else
				line_overflow = true;
			console_write_raw(echo);
		}
	}
}
