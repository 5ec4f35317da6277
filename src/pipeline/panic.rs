//! Panics and interruptions.
//!
//! A panic inside one conversion (calamine has some on malformed workbooks)
//! fails that file only and is reported in `files.csv`, so the hook stays
//! silent for it. Any other panic is a bug in nianbao: the hook prints it
//! and the process exits with code 101 at once — on a helper thread (a tar
//! stream) an unwinding thread would otherwise end its archive early without
//! a word, which is exactly a lost result.
//!
//! Ctrl-C and SIGTERM set a flag: no new file is started, the journal stays
//! consistent (one write per record), and the command exits 130 telling how
//! to resume.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

thread_local! {
    static IN_CONVERSION: Cell<bool> = const { Cell::new(false) };
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Exit code of a panic outside a conversion (as Rust's own).
pub const EXIT_PANIC: i32 = 101;

/// Runs `f`, catching its panic silently.
pub(crate) fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    let was = IN_CONVERSION.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_CONVERSION.with(|c| c.set(was));
    result
}

/// The process-wide hook: silent inside a conversion, otherwise prints the
/// panic and exits 101.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if IN_CONVERSION.with(Cell::get) {
            return;
        }
        let msg = crate::source::terminal_safe(&info.to_string()).into_owned();
        eprintln!("nianbao: internal error (a bug, please report it): {msg}");
        std::process::exit(EXIT_PANIC);
    }));
}

/// Asks the batch to stop starting files (Ctrl-C, SIGTERM).
pub fn request_interrupt() {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_conversions_are_quiet() {
        assert!(!IN_CONVERSION.with(Cell::get));
        let inside = quietly(|| IN_CONVERSION.with(Cell::get)).unwrap();
        assert!(inside, "the hook is silent inside a conversion");
        let _ = quietly(|| -> () { std::panic::resume_unwind(Box::new("x")) });
        assert!(!IN_CONVERSION.with(Cell::get), "and loud again after one, even one that panicked");
    }
}
