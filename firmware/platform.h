/* The QEMU virt (secure=on, virtualization=on) machine as the rig firmware
 * sees it. See ../../shared/PLATFORM-NOTES.md. Everything that can come from
 * the device tree does; these are the secure-world fixed points. */
#ifndef FW_PLATFORM_H
#define FW_PLATFORM_H

#define FW_MAX_CPUS        8
#define FW_STACK_SIZE      0x2000
#define SECURE_UART_BASE   0x09040000UL
#define SECURE_GPIO_BASE   0x090b0000UL
#define FW_CFG_BASE        0x09020000UL
#define NS_DTB_ADDR        0x40000000UL
#define NS_DTB_MAX_SIZE    0x00100000UL
/* The Non-secure payload (hypervisor or a test payload) is placed here by
 * QEMU's generic loader. */
#define NS_PAYLOAD_ENTRY   0x40200000UL

/* Secure GPIO pins wired to QEMU's power-off and reset. */
#define GPIO_PIN_POWEROFF  0
#define GPIO_PIN_RESET     1
#endif
