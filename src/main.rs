// mimalloc: the control loop allocates and frees millions of small JSON nodes; glibc's malloc
// spent a third of a 10,000-pod convergence in its own bookkeeping.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kubesim::cli::main());
}
