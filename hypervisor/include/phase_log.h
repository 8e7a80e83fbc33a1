/* The phase log of host suspend/resume cycles: every step with its start
 * and end (physical counter), its CPU and its result; the wake-up
 * interrupt. Shown by the console (`suspend-log`, `suspend-stats`) and
 * exported as Chrome trace-event JSON for tools/suspend-timeline.
 * Locking: one lock; phases are recorded on CPU 0 during the sequence and
 * on any CPU while domains resume. */
#ifndef HYP_PHASE_LOG_H
#define HYP_PHASE_LOG_H
#include <stdbool.h>
#include <stdint.h>

#define PM_MAX_PHASES 48
#define PM_LOG_CYCLES 4

/* Where a phase is drawn (the timeline's lanes). */
enum pm_lane { PM_LANE_CPU, PM_LANE_FIRMWARE, PM_LANE_DOMAIN };

struct pm_phase {
	char name[28];
	char step[12];             /* the suspend step it belongs to (stats) */
	uint8_t lane;              /* enum pm_lane */
	uint8_t who;               /* CPU number or domain id */
	bool resume;               /* a resume-side phase */
	int result;                /* 0 ok, else a PSCI code or -1 */
	uint64_t start, end;       /* physical counter ticks */
};

struct pm_cycle {
	unsigned seq;              /* 1, 2, ... */
	int result;                /* 0 resumed, else what the hardware domain got */
	char failed_step[28];      /* "" or the phase that failed */
	unsigned wake_intid;       /* 1023 if unknown */
	uint64_t start, end;       /* the hardware domain's call .. every domain running */
	uint64_t hwdom_at;         /* the hardware domain re-entered */
	/* The firmware's own work so far (ticks, LULL_SIP_FW_WORK; -1 where
	 * the firmware does not tell) at: the call, the firmware call, the
	 * resume entry, the hardware domain's re-entry, the end. */
	int64_t fw[5];
	unsigned nphases;
	struct pm_phase ph[PM_MAX_PHASES];
};

enum { PM_FW_START, PM_FW_CALL, PM_FW_RESUME, PM_FW_HWDOM, PM_FW_END };

/* Start a new cycle at `start` (the hardware domain's call); returns it
 * (the oldest one is dropped). */
struct pm_cycle *phase_log_begin(uint64_t start);
/* Note the firmware's own work so far at one of the PM_FW_* points. */
void phase_log_fw(unsigned point);
/* Record a phase of the current cycle; returns its index for phase_end. */
int phase_begin(const char *step, const char *name, enum pm_lane lane, unsigned who,
		bool resume);
void phase_end(int idx, int result);
/* A phase whose start and end are known already. */
void phase_add(const char *step, const char *name, enum pm_lane lane, unsigned who, bool resume,
	       uint64_t start, uint64_t end, int result);
void phase_log_finish(int result, const char *failed_step);
struct pm_cycle *phase_log_current(void);

void phase_log_show(unsigned cycles);       /* console, human readable */
void phase_log_json(void);                  /* console, trace-event JSON */
/* The same JSON, a line at a time, to any sink (the control channel). */
typedef void (*phase_log_sink)(const char *line, void *ctx);
void phase_log_json_to(phase_log_sink sink, void *ctx);
void phase_log_stats(void);                 /* console: suspend-stats */
#endif
