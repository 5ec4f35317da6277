//! Sharding a batch over the tasks of a scheduler (Slurm job arrays,
//! Kubernetes Indexed Jobs, Dask, Spark): `nianbao convert PATHS --out PART
//! --shard I/N` converts the inputs whose source path hashes to `I` modulo
//! `N`, and `nianbao merge` ([`crate::output::merge`]) puts the parts back
//! together.
//!
//! Why a hash of the path and not "every N-th file": a file's shard depends
//! on its path only, so adding files to an archive moves none of the files
//! already there to another task, and no task needs the whole list to know
//! its share. An archive input (`.zip`, `.tar.gz`) is one input: its members
//! all go to the task that owns the archive, so no two tasks inflate it.
//!
//! Every task still walks all the inputs' names (listing 100,000 files takes
//! well under a second next to the minutes converting them): each result is
//! paired with its input's position in the whole walk ([`Tracked`]), and
//! those positions are what let `merge` restore a single run's order, so the
//! merged files are byte-identical to a one-machine run.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::{Job, Walk};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShardError {
    #[error("--shard {0:?}: expected I/N with 0 <= I < N, for example 0/4, or /N to read I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")]
    Syntax(String),
    #[error("--shard {spec:?}: the shard index was not given and neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")]
    NoIndex { spec: String },
    #[error("shard index {index} from {var} is not below the shard count {count} (a Slurm array should be --array=0-{last})", last = count - 1)]
    IndexOutOfRange {
        index: u64,
        count: u64,
        var: &'static str,
    },
    #[error("{var}={value:?} is not a non-negative integer")]
    BadVariable { var: &'static str, value: String },
}

/// One task's share of the inputs: those whose path hashes to `index`
/// modulo `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Parses `I/N`, or `/N` taking `I` from the scheduler's environment
    /// (`env` looks a variable up; [`std::env::var`] in the CLI).
    pub fn parse(spec: &str, env: impl Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(spec.to_string());
        let (index, count) = spec.split_once('/').ok_or_else(syntax)?;
        let count: u64 = count.trim().parse().map_err(|_| syntax())?;
        if count == 0 {
            return Err(syntax());
        }
        let index = index.trim();
        if index.is_empty() {
            let (index, var) = index_from_env(&env)?.ok_or_else(|| ShardError::NoIndex {
                spec: spec.to_string(),
            })?;
            if index >= count {
                return Err(ShardError::IndexOutOfRange { index, count, var });
            }
            return Ok(Shard { index, count });
        }
        let index: u64 = index.parse().map_err(|_| syntax())?;
        if index >= count {
            return Err(syntax());
        }
        Ok(Shard { index, count })
    }

    /// Whether the input spelled `source` (a top-level source: a file, or
    /// the archive a member is in) belongs to this shard.
    pub fn owns(&self, source: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(source.as_bytes()) % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The task index a scheduler gives: Slurm's array task id (counted from
/// the array's first id, so `--array=1-4` works as well as `--array=0-3`),
/// else Kubernetes' completion index of an Indexed Job.
fn index_from_env(
    env: &impl Fn(&str) -> Option<String>,
) -> Result<Option<(u64, &'static str)>, ShardError> {
    let number = |var: &'static str| -> Result<Option<u64>, ShardError> {
        env(var)
            .map(|value| {
                value.trim().parse().map_err(|_| ShardError::BadVariable {
                    var,
                    value: value.clone(),
                })
            })
            .transpose()
    };
    if let Some(id) = number("SLURM_ARRAY_TASK_ID")? {
        let min = number("SLURM_ARRAY_TASK_MIN")?.unwrap_or(0);
        return Ok(Some((id.saturating_sub(min), "SLURM_ARRAY_TASK_ID")));
    }
    Ok(number("JOB_COMPLETION_INDEX")?.map(|i| (i, "JOB_COMPLETION_INDEX")))
}

/// The walk's jobs, each job's input position queued as the job is taken.
///
/// The batch calls its sink exactly once per job, in job order, so the sink
/// pops one position per call ([`Positions::next`]) and pairs each result
/// with its input's position without the batch having to carry it.
pub struct Tracked {
    walk: Walk,
    queue: Positions,
}

impl Tracked {
    pub fn new(walk: Walk) -> (Tracked, Positions) {
        let queue = Positions::default();
        let tracked = Tracked {
            walk,
            queue: queue.clone(),
        };
        (tracked, queue)
    }
}

impl Iterator for Tracked {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        let job = self.walk.next()?;
        self.queue.0.borrow_mut().push_back(self.walk.position());
        Some(job)
    }
}

/// The positions of the jobs taken and not yet handed to the sink.
#[derive(Debug, Clone, Default)]
pub struct Positions(Rc<RefCell<VecDeque<u64>>>);

impl Positions {
    /// The position of the next result the sink receives.
    pub fn next(&self) -> Option<u64> {
        self.0.borrow_mut().pop_front()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn parses_explicit_shards() {
        assert_eq!(
            Shard::parse("2/5", no_env),
            Ok(Shard { index: 2, count: 5 })
        );
        for bad in ["5/5", "1/0", "3", "a/2", "-1/2", "", "1/2/3"] {
            assert!(
                matches!(Shard::parse(bad, no_env), Err(ShardError::Syntax(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn index_from_schedulers() {
        let slurm = |v: &str| match v {
            "SLURM_ARRAY_TASK_ID" => Some("4".to_string()),
            "SLURM_ARRAY_TASK_MIN" => Some("1".to_string()),
            "JOB_COMPLETION_INDEX" => Some("0".to_string()),
            _ => None,
        };
        assert_eq!(Shard::parse("/4", slurm), Ok(Shard { index: 3, count: 4 }));
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "2".to_string());
        assert_eq!(Shard::parse("/3", k8s), Ok(Shard { index: 2, count: 3 }));
        assert!(matches!(
            Shard::parse("/2", k8s),
            Err(ShardError::IndexOutOfRange { index: 2, .. })
        ));
        assert!(matches!(
            Shard::parse("/2", no_env),
            Err(ShardError::NoIndex { .. })
        ));
        let junk = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "x".to_string());
        assert!(matches!(
            Shard::parse("/2", junk),
            Err(ShardError::BadVariable { .. })
        ));
    }

    #[test]
    fn shards_partition_the_inputs() {
        let paths: Vec<String> = (0..3000).map(|i| format!("a/b/report-{i}.html")).collect();
        let shards: Vec<Shard> = (0..3).map(|index| Shard { index, count: 3 }).collect();
        let owners = |p: &String| shards.iter().filter(|s| s.owns(p)).count();
        assert!(paths.iter().all(|p| owners(p) == 1));
        for s in &shards {
            let share = paths.iter().filter(|p| s.owns(p)).count();
            // Binomial(3000, 1/3): sd is about 26.
            assert!((900..1100).contains(&share), "shard {s:?} got {share}");
        }
        // Parts written by one release must merge with parts of the next:
        // the owner of a path is pinned (xxh3-64 of the path's UTF-8 bytes).
        let owner = |p: &str| shards.iter().position(|s| s.owns(p));
        assert_eq!(
            [
                "samples/txt/guangyang-2022.txt",
                "a.zip",
                "/data/2023/县.html"
            ]
            .map(owner),
            [Some(1), Some(0), Some(1)]
        );
    }
}
