//! Stage timings of a render, for profiling the dev server's rebuilds:
//! with `LECTERN_TRACE_REBUILD=1` in the environment, each render prints one
//! line to stderr naming its stages and the milliseconds each took. Off, a
//! lap costs one branch.

use std::time::{Duration, Instant};

/// The environment variable that turns the timings on.
pub const TRACE_VAR: &str = "LECTERN_TRACE_REBUILD";

/// Times consecutive stages of one render.
pub struct StageClock {
    /// None when tracing is off.
    last: Option<Instant>,
    stages: Vec<(&'static str, Duration)>,
}

impl StageClock {
    /// A clock that records only when `LECTERN_TRACE_REBUILD` is set (and not "0").
    pub fn from_env() -> StageClock {
        let on = std::env::var_os(TRACE_VAR).is_some_and(|v| v != "0" && !v.is_empty());
        StageClock {
            last: on.then(Instant::now),
            stages: Vec::new(),
        }
    }

    /// Ends the stage called `name`, started by the previous lap (or the clock's start).
    pub fn lap(&mut self, name: &'static str) {
        if let Some(last) = self.last {
            let now = Instant::now();
            self.stages.push((name, now - last));
            self.last = Some(now);
        }
    }

    /// Prints the stages on one line to stderr, after `what`.
    pub fn report(&self, what: &str) {
        if self.last.is_none() {
            return;
        }
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(name, d)| format!("{name} {:.1}", d.as_secs_f64() * 1000.0))
            .collect();
        eprintln!("[trace] {what}: {} (ms)", stages.join(", "));
    }
}
