/* switch_aarch64.S -- context switch for AArch64 (AAPCS64).
 *
 * plat_switch(void **save_sp /x0/, void *to_sp /x1/): save the callee-saved
 * registers x19-x28, fp (x29), lr (x30) and d8-d15 in a 160-byte frame on
 * the current stack, store sp in *save_sp, load to_sp, restore the frame
 * and return through the restored lr.
 *
 * A new task's frame (built by task.c, see plat__init_context) holds
 * x19 = task, x20 = entry fn, lr = plat_task_trampoline, fp = 0.
 * Written for review and cross-assembly; x86-64 is the tested target.
 */
#if defined(__aarch64__)
        .text
        .globl  plat_switch
        .type   plat_switch, %function
        .p2align 4
plat_switch:
        sub     sp, sp, #160
        stp     x19, x20, [sp, #0]
        stp     x21, x22, [sp, #16]
        stp     x23, x24, [sp, #32]
        stp     x25, x26, [sp, #48]
        stp     x27, x28, [sp, #64]
        stp     x29, x30, [sp, #80]
        stp     d8, d9, [sp, #96]
        stp     d10, d11, [sp, #112]
        stp     d12, d13, [sp, #128]
        stp     d14, d15, [sp, #144]
        mov     x9, sp
        str     x9, [x0]
        mov     sp, x1
        ldp     x19, x20, [sp, #0]
        ldp     x21, x22, [sp, #16]
        ldp     x23, x24, [sp, #32]
        ldp     x25, x26, [sp, #48]
        ldp     x27, x28, [sp, #64]
        ldp     x29, x30, [sp, #80]
        ldp     d8, d9, [sp, #96]
        ldp     d10, d11, [sp, #112]
        ldp     d12, d13, [sp, #128]
        ldp     d14, d15, [sp, #144]
        add     sp, sp, #160
        ret
        .size   plat_switch, .-plat_switch

        .globl  plat_task_trampoline
        .type   plat_task_trampoline, %function
        .p2align 4
plat_task_trampoline:
        mov     x0, x19
        blr     x20
        brk     #0
        .size   plat_task_trampoline, .-plat_task_trampoline
#endif
        .section .note.GNU-stack,"",%progbits
