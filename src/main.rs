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
    std::process::exit(kubesim::cli::main());
}
