/* morestack_x86_64.S -- __morestack: growing task stacks (segments).
 *
 * Generated code is compiled with -fsplit-stack (x86-64): the C compiler
 * then starts every function with a compare of "sp - its frame size"
 * against the word at %fs:0x70 (glibc reserves that TCB field for split
 * stacks) and, when it is below, calls __morestack before allocating
 * anything.  The scheduler keeps the running task's limit there (plus
 * PLAT_SPLIT_SLACK when stacks grow; rt_internal.h plat_split_limit_set).
 *
 * Entry (the libgcc split-stack convention gcc and clang follow):
 *   (%rsp)   return address: the `ret` right after the call in the
 *            function's prologue; the function's body starts at that
 *            address + 1
 *   8(%rsp)  the function's own return address (its entry sp is rsp+8),
 *   16(%rsp) its stack arguments, %r11 bytes of them; %r10 its frame size
 *   the argument registers hold its arguments (rax: vector count of a
 *   variadic call, or the static chain).
 *
 * We save those and call plat_stack_split(frame, args, nargs, sp) (stack.c).
 *   NULL: the frame may be allocated in place (fixed stacks: the
 *     frame-size check passed; growing: past the maximum, with the limit
 *     raised so that the function's own check panics at its line).  Restore
 *     and return to the body.
 *   else: the sp of a new segment, the stack arguments copied there.
 *     Switch to it, restore the argument registers and call the body; when
 *     it returns (rax, rdx, xmm0, xmm1 may hold its result) call
 *     plat_stack_unsplit (back to the older segment), restore sp from rbp
 *     and return to the `ret` in the prologue, which returns to the
 *     function's caller.  rbp is callee-saved, so it still points at our
 *     frame on the older segment; the CFA stays rbp-based throughout.
 * A panic never unwinds through here: it runs the task's cleanups on the
 * current segment and finishes the task, whose segments are released
 * together (sched.c POST_EXIT, plat_stack_release_all).
 */
#if defined(__x86_64__)
        .text
        .globl  __morestack
        .type   __morestack, @function
        .p2align 4
__morestack:
        .cfi_startproc
        pushq   %rbp
        .cfi_def_cfa_offset 16
        .cfi_offset %rbp, -16
        movq    %rsp, %rbp
        .cfi_def_cfa_register %rbp
        pushq   %rdi                    /* -8(%rbp) */
        pushq   %rsi                    /* -16 */
        pushq   %rdx                    /* -24 */
        pushq   %rcx                    /* -32 */
        pushq   %r8                     /* -40 */
        pushq   %r9                     /* -48 */
        pushq   %rax                    /* -56 */
        pushq   %r10                    /* -64 */
        pushq   %r11                    /* -72 */
        subq    $128, %rsp              /* 16-byte aligned again: 9 pushes + rbp + ret */
        movdqu  %xmm0, 0(%rsp)          /* -200(%rbp) */
        movdqu  %xmm1, 16(%rsp)
        movdqu  %xmm2, 32(%rsp)
        movdqu  %xmm3, 48(%rsp)
        movdqu  %xmm4, 64(%rsp)
        movdqu  %xmm5, 80(%rsp)
        movdqu  %xmm6, 96(%rsp)
        movdqu  %xmm7, 112(%rsp)
        movq    %r10, %rdi              /* frame size */
        leaq    24(%rbp), %rsi          /* stack arguments */
        movq    %r11, %rdx              /* their size */
        movq    %rsp, %rcx              /* this segment is live from here up */
        call    plat_stack_split
        testq   %rax, %rax
        jnz     1f
        movdqu  0(%rsp), %xmm0
        movdqu  16(%rsp), %xmm1
        movdqu  32(%rsp), %xmm2
        movdqu  48(%rsp), %xmm3
        movdqu  64(%rsp), %xmm4
        movdqu  80(%rsp), %xmm5
        movdqu  96(%rsp), %xmm6
        movdqu  112(%rsp), %xmm7
        addq    $128, %rsp
        popq    %r11
        popq    %r10
        popq    %rax
        popq    %r9
        popq    %r8
        popq    %rcx
        popq    %rdx
        popq    %rsi
        popq    %rdi
        popq    %rbp
        .cfi_remember_state
        .cfi_def_cfa %rsp, 8
        addq    $1, (%rsp)              /* skip the `ret` after the call */
        ret
        .cfi_restore_state
1:      movq    %rax, %rsp              /* the new segment */
        movdqu  -200(%rbp), %xmm0
        movdqu  -184(%rbp), %xmm1
        movdqu  -168(%rbp), %xmm2
        movdqu  -152(%rbp), %xmm3
        movdqu  -136(%rbp), %xmm4
        movdqu  -120(%rbp), %xmm5
        movdqu  -104(%rbp), %xmm6
        movdqu  -88(%rbp), %xmm7
        movq    -8(%rbp), %rdi
        movq    -16(%rbp), %rsi
        movq    -24(%rbp), %rdx
        movq    -32(%rbp), %rcx
        movq    -40(%rbp), %r8
        movq    -48(%rbp), %r9
        movq    -56(%rbp), %rax
        movq    8(%rbp), %r10
        addq    $1, %r10                /* the body, after the `ret` */
        call    *%r10
        subq    $64, %rsp               /* the result, across the C call */
        movq    %rax, 0(%rsp)
        movq    %rdx, 8(%rsp)
        movdqu  %xmm0, 16(%rsp)
        movdqu  %xmm1, 32(%rsp)
        call    plat_stack_unsplit
        movq    0(%rsp), %rax
        movq    8(%rsp), %rdx
        movdqu  16(%rsp), %xmm0
        movdqu  32(%rsp), %xmm1
        movq    %rbp, %rsp              /* back on the older segment */
        popq    %rbp
        .cfi_def_cfa %rsp, 8
        ret                             /* to the `ret` in the prologue */
        .cfi_endproc
        .size   __morestack, .-__morestack

        .section .note.GNU-stack,"",@progbits
#endif
