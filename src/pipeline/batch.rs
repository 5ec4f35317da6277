//! The batch as a bounded ordered pipeline.
//!
//! Why: the batch used to convert windows of `16 × threads` jobs with rayon
//! and write each window when its slowest file was done, so every window
//! ended with threads idle (a 3 MB HTML page among small DOCX files held the
//! other thread for its whole length). Now the calling thread walks the
//! inputs and writes results, `workers` threads convert, and nothing waits
//! for a window:
//!
//! - jobs go out numbered over one channel, results come back in completion
//!   order over another, and a reorder buffer on the writing side hands them
//!   to the sink in input order (the order every output and the journal
//!   keep, whatever the thread count);
//! - a job holds its slot, and its input bytes (archive members by their
//!   length, files on disk by their size, as before), from the moment it is
//!   taken from the walk until its result is written, so at most `window`
//!   jobs and about `Limits::max_inflated_bytes` of input are in flight
//!   however slow one file is: a slow file stops new jobs only once the
//!   window behind it is full;
//! - each result is rendered (`render`, e.g. the journal line) on the worker
//!   that converted it, so the writer only writes;
//! - a panic in a conversion fails that file (`convert_bytes`); a panic
//!   anywhere else on a worker is a bug: it reaches the caller, as it did
//!   from rayon, after the other workers stopped;
//! - once [`interrupted`] no job is taken from the walk, the jobs already
//!   queued come back as [`JobResult::Interrupted`], and the results before
//!   them are still written.
//!
//! Measured on the end-to-end bench (2,000 generated reports, shared 2-core
//! machine): see the README's `## Benchmarks`.

use std::collections::VecDeque;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};

use super::{convert_job, interrupted, Done, JobResult};
use crate::inputs::{Content, Job};
use crate::readers::Limits;

/// How many threads convert and how many jobs may be in flight.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    /// Converting threads (at least one).
    pub workers: usize,
    /// Jobs taken from the walk and not yet written (at least one).
    pub window: usize,
}

type Payload = Box<dyn std::any::Any + Send>;

/// What a worker sends back.
enum Message<R> {
    Result(usize, R),
    /// A panic outside a conversion (a bug): stops the batch.
    Panic(Payload),
}

/// Why the writing side stopped early.
enum Stop<E> {
    Sink(E),
    Panic(Payload),
}

/// Converts `jobs` on `rayon::current_num_threads()` workers, handing
/// results to `sink` in input order, at most `window` jobs in flight (see
/// the module docs).
pub fn run_batch<E>(
    jobs: impl Iterator<Item = Job>,
    limits: &Limits,
    window: usize,
    done: &Done<'_>,
    sink: impl FnMut(JobResult) -> Result<(), E>,
) -> Result<(), E> {
    let batch = Batch {
        workers: rayon::current_num_threads(),
        window,
    };
    run_batch_with(jobs, limits, batch, done, |r| r, sink)
}

/// [`run_batch`] with the thread count given and each result passed
/// through `render` on the worker that converted it.
pub fn run_batch_with<R: Send, E>(
    jobs: impl Iterator<Item = Job>,
    limits: &Limits,
    batch: Batch,
    done: &Done<'_>,
    render: impl Fn(JobResult) -> R + Sync,
    sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let (job_tx, job_rx) = mpsc::channel::<(usize, Job)>();
    let (result_tx, result_rx) = mpsc::channel::<Message<R>>();
    let queue = Mutex::new(job_rx);
    let cancelled = AtomicBool::new(false);
    let outcome = std::thread::scope(|s| {
        for n in 0..batch.workers.max(1) {
            let worker = Worker {
                queue: &queue,
                results: result_tx.clone(),
                cancelled: &cancelled,
                limits,
                done,
                render: &render,
            };
            std::thread::Builder::new()
                .name(format!("nianbao-worker-{n}"))
                .spawn_scoped(s, move || worker.run())
                .expect("cannot start a worker thread");
        }
        drop(result_tx);
        // Stops the workers however the writing side ends, even unwinding.
        let _cancel = Cancel(&cancelled);
        write_in_order(jobs, limits, batch.window.max(1), job_tx, &result_rx, sink)
    });
    match outcome {
        Ok(()) => Ok(()),
        Err(Stop::Sink(e)) => Err(e),
        Err(Stop::Panic(payload)) => resume_unwind(payload),
    }
}

/// Sets the flag when dropped: queued jobs are then skipped.
struct Cancel<'a>(&'a AtomicBool);

impl Drop for Cancel<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

struct Worker<'a, F, R> {
    queue: &'a Mutex<mpsc::Receiver<(usize, Job)>>,
    results: mpsc::Sender<Message<R>>,
    cancelled: &'a AtomicBool,
    limits: &'a Limits,
    done: &'a Done<'a>,
    render: &'a F,
}

impl<F: Fn(JobResult) -> R + Sync, R: Send> Worker<'_, F, R> {
    /// Converts jobs until the queue closes or the writer is gone.
    fn run(self) {
        loop {
            let next = self
                .queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .recv();
            let Ok((index, job)) = next else { return };
            if self.cancelled.load(Ordering::SeqCst) {
                continue;
            }
            let converted = catch_unwind(AssertUnwindSafe(|| {
                (self.render)(convert_job(job, self.limits, self.done))
            }));
            let message = match converted {
                Ok(result) => Message::Result(index, result),
                Err(payload) => Message::Panic(payload),
            };
            if self.results.send(message).is_err() {
                return;
            }
        }
    }
}

/// The input bytes a job holds while in flight.
fn weight(job: &Job, limits: &Limits) -> u64 {
    match &job.content {
        Content::Bytes(bytes) => bytes.len() as u64,
        Content::Path { size, .. } => (*size).min(limits.max_file_bytes),
        _ => 0,
    }
}

/// The writing side: takes jobs from the walk while the window and the
/// byte budget allow, and writes results in input order as they come.
fn write_in_order<R, E>(
    mut jobs: impl Iterator<Item = Job>,
    limits: &Limits,
    window: usize,
    queue: mpsc::Sender<(usize, Job)>,
    results: &mpsc::Receiver<Message<R>>,
    mut sink: impl FnMut(R) -> Result<(), E>,
) -> Result<(), Stop<E>> {
    // Slot i is job `written + i`: its weight, and its result once back.
    let mut slots: VecDeque<(u64, Option<R>)> = VecDeque::new();
    let (mut written, mut taken, mut held) = (0usize, 0usize, 0u64);
    let mut walked = false;
    loop {
        while !walked && slots.len() < window && held < limits.max_inflated_bytes && !interrupted()
        {
            let Some(job) = jobs.next() else {
                walked = true;
                break;
            };
            let w = weight(&job, limits);
            held += w;
            slots.push_back((w, None));
            if queue.send((taken, job)).is_err() {
                return Err(Stop::Panic(Box::new("the worker threads stopped")));
            }
            taken += 1;
        }
        if slots.is_empty() {
            return Ok(());
        }
        match results.recv() {
            Ok(Message::Result(index, result)) => slots[index - written].1 = Some(result),
            Ok(Message::Panic(payload)) => return Err(Stop::Panic(payload)),
            Err(_) => return Err(Stop::Panic(Box::new("the worker threads stopped"))),
        }
        while slots.front().is_some_and(|(_, r)| r.is_some()) {
            let (w, result) = slots.pop_front().expect("front is there");
            held -= w;
            written += 1;
            sink(result.expect("front is back")).map_err(Stop::Sink)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::SourceId;

    fn jobs(n: usize) -> impl Iterator<Item = Job> {
        (0..n).map(|i| Job {
            source: SourceId::file(format!("f{i:03}.txt")),
            content: Content::Skip(format!("{i}")),
        })
    }

    fn reason(r: &JobResult) -> String {
        match r {
            JobResult::Fresh(f) => match &f.outcome {
                super::super::Outcome::Skipped { reason } => reason.clone(),
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn results_come_in_input_order_on_any_thread_count() {
        let limits = Limits::default();
        for workers in [1, 2, 5] {
            for window in [1, 3, 64] {
                let mut seen = Vec::new();
                let batch = Batch { workers, window };
                run_batch_with(
                    jobs(100),
                    &limits,
                    batch,
                    &|_, _| false,
                    |r| r,
                    |r| {
                        seen.push(reason(&r));
                        Ok::<(), ()>(())
                    },
                )
                .unwrap();
                let expected: Vec<String> = (0..100).map(|i| i.to_string()).collect();
                assert_eq!(seen, expected, "workers {workers}, window {window}");
            }
        }
    }

    #[test]
    fn a_sink_error_stops_the_batch() {
        let limits = Limits::default();
        let mut n = 0;
        let batch = Batch {
            workers: 2,
            window: 4,
        };
        let r = run_batch_with(
            jobs(1000),
            &limits,
            batch,
            &|_, _| false,
            |r| r,
            |_| {
                n += 1;
                if n == 10 {
                    Err("full")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err("full"));
        assert_eq!(n, 10);
    }

    #[test]
    fn a_panic_outside_a_conversion_reaches_the_caller() {
        let limits = Limits::default();
        let batch = Batch {
            workers: 2,
            window: 8,
        };
        let caught = catch_unwind(AssertUnwindSafe(|| {
            let render = |r: JobResult| {
                if reason(&r) == "7" {
                    panic!("render bug");
                }
                r
            };
            run_batch_with(jobs(50), &limits, batch, &|_, _| false, render, |_| {
                Ok::<(), ()>(())
            })
        }));
        let payload = caught.expect_err("the panic is resumed on the caller");
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"render bug"));
    }
}
