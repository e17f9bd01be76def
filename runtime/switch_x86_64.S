/* switch_x86_64.S -- context switch for x86-64 System V.
 *
 * plat_switch(void **save_sp, void *to_sp): push the callee-saved
 * registers (rbp rbx r12-r15) on the current stack, store the stack
 * pointer in *save_sp, load to_sp and pop the other context's registers;
 * `ret` resumes it.  Caller-saved registers are dead across the call by
 * the ABI.  MXCSR and the x87 control word are not switched: the runtime
 * and generated code never change them (documented in docs/RUNTIME.md).
 *
 * A new task's stack is prepared by task.c as
 *   sp+0 r15, +8 r14, +16 r13, +24 r12 = entry fn, +32 rbx = task, +40 rbp = 0,
 *   +48 plat_task_trampoline
 * with sp+56 16-byte aligned, so the trampoline calls entry(task) with an
 * aligned stack.  The entry never returns.
 */
#if defined(__x86_64__)
        .text
        .globl  plat_switch
        .type   plat_switch, @function
        .p2align 4
plat_switch:
        .cfi_startproc
        pushq   %rbp
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        movq    %rsp, (%rdi)
        movq    %rsi, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        popq    %rbp
        ret
        .cfi_endproc
        .size   plat_switch, .-plat_switch

        .globl  plat_task_trampoline
        .type   plat_task_trampoline, @function
        .p2align 4
plat_task_trampoline:
        .cfi_startproc
        .cfi_undefined rip
        movq    %rbx, %rdi
        callq   *%r12
        ud2
        .cfi_endproc
        .size   plat_task_trampoline, .-plat_task_trampoline
#endif
        .section .note.GNU-stack,"",@progbits
