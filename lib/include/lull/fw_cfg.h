/* QEMU fw_cfg (MMIO interface): how tests hand knobs to firmware and test
 * payloads per run without rebuilding (-fw_cfg name=opt/...,string=...). */
#ifndef LULL_FW_CFG_H
#define LULL_FW_CFG_H
#include <stddef.h>
#include <stdint.h>

#define FW_CFG_ABSENT   (-1)
#define FW_CFG_TOO_LONG (-2)

/* Read file `name` as a NUL-terminated string into buf. Returns its length,
 * FW_CFG_ABSENT or FW_CFG_TOO_LONG. */
int fw_cfg_read_file(uintptr_t base, const char *name, char *buf, size_t size);
#endif
