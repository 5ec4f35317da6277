//! calamine panics on some malformed workbooks. The spreadsheet reader runs
//! it under `catch_unwind` and reports such a file as failed ("reader
//! panicked: calamine on a malformed ... file"), by design; but
//! libfuzzer-sys's panic hook aborts on every panic, caught or not, so the
//! first one would end the run. This hook lets panics raised in calamine's
//! own source through to the reader's `catch_unwind`, printing each (so the
//! log lists them; fuzz/run.sh counts them), and aborts on every other
//! panic as before. A calamine panic outside the reader's `catch_unwind`
//! still reaches libfuzzer-sys's wrapper, which aborts.
pub fn tolerate_caught_calamine_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                eprintln!("TOLERATED calamine panic (the spreadsheet reader catches it): {info}");
                return;
            }
            fuzzer_hook(info)
        }));
    });
}
