// mimalloc: the control loop allocates and frees millions of small JSON nodes; glibc's malloc
// spent a third of a 10,000-pod convergence in its own bookkeeping.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc.h (v2 and v3): the option's position in `mi_option_e`.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // A kubesim command lives for milliseconds to seconds: handing freed memory back to the
    // OS (mimalloc's default after 10 ms) only costs system time — a second of it when
    // 10,000 pods converge — and never lowers the peak.
    // SAFETY: sets a process-wide allocator option before any thread is started.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // Transparent huge pages are off from before `main` (`THP_OFF`).
    std::process::exit(kubesim::cli::main());
}

/// Transparent huge pages: mimalloc asks for them, and on a fragmented machine the kernel then
/// compacts memory on page faults — 0.4–0.8 s of system time at 10,000 pods, and the reason
/// one run took 30 % longer than the next (plain pages cost a steady ~0.2 s). Even a short
/// command paid for them: the runtime's first allocations, before `main`, faulted in and
/// zeroed a few 2 MiB pages (~0.5 ms). So they are turned off by a constructor, which runs
/// before the runtime allocates anything.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static THP_OFF: extern "C" fn() = {
    extern "C" fn off() {
        disable_transparent_huge_pages();
    }
    off
};

#[cfg(target_os = "linux")]
fn disable_transparent_huge_pages() {
    unsafe extern "C" {
        fn prctl(option: i32, arg2: u64, arg3: u64, arg4: u64, arg5: u64) -> i32;
    }
    /// `PR_SET_THP_DISABLE` in <linux/prctl.h>.
    const PR_SET_THP_DISABLE: i32 = 41;
    // SAFETY: prctl with this option only sets a flag on the calling process; a kernel
    // without it returns an error, which changes nothing.
    unsafe { prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}
