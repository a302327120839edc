//! Progress of a long run of the controllers (`advance 720h`, catching up a state that sat
//! idle): on a terminal only, on stderr, once the run has taken about a second; never in a
//! pipe (so never in a test, a transcript or `kubesim test`, whose commands write to pipes).

use crate::engine::{self, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::cell::RefCell;
use std::io::IsTerminal;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The bar, once shown.
pub type Bar = Rc<RefCell<Option<ProgressBar>>>;

/// How long a run goes before it shows progress.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// Installs the engine's progress hook when stderr is a terminal (`KUBESIM_NO_PROGRESS`
/// turns it off).
pub fn install() -> Bar {
    let bar: Bar = Rc::new(RefCell::new(None));
    if !std::io::stderr().is_terminal() || std::env::var_os("KUBESIM_NO_PROGRESS").is_some() {
        return bar;
    }
    let start = Instant::now();
    let b = bar.clone();
    engine::set_progress(Some(Box::new(move |p: &Progress| {
        if start.elapsed() < QUIET_FOR {
            return;
        }
        let mut slot = b.borrow_mut();
        let pb = slot.get_or_insert_with(|| {
            let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            pb.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb
        });
        pb.set_message(message(p));
        pb.tick();
    })));
    bar
}

/// `virtual time 3d4h of 30d covered, 1234 objects reconciled`.
pub fn message(p: &Progress) -> String {
    let covered = crate::print::age::human_duration(p.covered);
    let of = p
        .span
        .map(|s| format!(" of {}", crate::print::age::human_duration(s)))
        .unwrap_or_default();
    format!(
        "virtual time {covered}{of} covered, {} objects reconciled",
        p.syncs
    )
}

/// Removes the bar (if it was shown) and the hook.
pub fn clear(bar: &Bar) {
    engine::set_progress(None);
    if let Some(pb) = bar.borrow_mut().take() {
        pb.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn the_message_says_virtual_time_and_objects() {
        let p = Progress {
            covered: SignedDuration::from_secs(3 * 86_400 + 4 * 3600),
            span: Some(SignedDuration::from_secs(30 * 86_400)),
            syncs: 1234,
        };
        assert_eq!(
            message(&p),
            "virtual time 3d4h of 30d covered, 1234 objects reconciled"
        );
    }
}
